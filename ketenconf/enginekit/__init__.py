"""What the pure engines share: their errors, their JSON shape reader and HiGHS set-up.

The engines (workshop assignment, matchmaking, programme scheduler, stand placement) and this
package import no Django and nothing else of ketenconf (import-linter contracts in
pyproject.toml), so each can run from the command line, in a bench or in a worker alike.
"""
