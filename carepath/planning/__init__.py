"""The commissioner's planner: needs, capacity, cost and funding (seed 002 §3, Appendices 3, 6, 8, 9).

The arithmetic (``needs``, ``costs``, ``funding``, ``scenarios``, ``plan``) and the input
files (``inputs``) are pure Python with no Django imports, so a board can read the rules
and ``carepath plan`` can run them on a spreadsheet alone. The page, its downloads and
the stored inputs are the Django half (``models``, ``services``, ``views``, ``exports``).
"""
