"""Course-staff tools: the Gradescope zip, the student kit, batch runs, run diffs and reports."""

#: The staff modules the command line needs to start (it registers every subcommand); the
#: Gradescope zip and the student kit ship only these of the staff tools.
STAFF_MODULES_KEPT = frozenset({"__init__.py", "commands.py"})
