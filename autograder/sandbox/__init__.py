"""Running student code: child processes with limits, and the plain-data wire between them and us.

Nothing in this package that the trusted side imports executes submission code;
`child.py` is the only module that does, and it runs only in the child process.
"""
