"""The mechanisms of the model, one module each (numbered as in docs/ODD.md section 7).

Every rule is a small vectorised function over numpy columns (one element per
household) whose docstring says which real process it stands for and where its
defaults come from.  The Mesa ``Household`` agent's methods (:mod:`model.agents`, the per-agent engine) write
the same rules again one household at a time; the docking tests require both to agree.
"""
