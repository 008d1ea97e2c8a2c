"""Course-staff tools: the Gradescope zip, the student kit, batch runs, run diffs and reports."""
