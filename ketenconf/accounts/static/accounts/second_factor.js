// After a security key is registered (django-otp-webauthn's script says so with an event),
// go on to the page its box names: the recovery codes, or the list of factors. (The script
// replaces the placeholder inside the box with its button.)
document.addEventListener("otp_webauthn.register_complete", () => {
  const box = document.getElementById("passkey-registration");
  const next = box && box.dataset.next;
  if (next) window.location.assign(next);
});
