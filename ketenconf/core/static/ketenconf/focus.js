// After a failed submit, move focus to the error summary, so a keyboard or screen reader
// user starts where the problems are listed (the summary links to each field). The
// autofocus attribute does not do this for a summary in Chromium, hence this file.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.getElementById("form-errors");
  if (summary) summary.focus();
});
