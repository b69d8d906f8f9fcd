"""A household's family life: schooling, entry into work, retirement.

Part of the :class:`~model.agents.household.Household` agent (a mixin): what
happens to the members of a household rather than what it decides.  Each
January the eldest child in school does another school year or leaves and starts
work (nine years of compulsory school, 九年义务教育) and a worker may retire;
then the household's health and earning power move on (:mod:`.health`).
Mechanisms, parameters and sources: :mod:`model.rules.human_capital`.
"""

from __future__ import annotations

COMPULSORY_SCHOOLING = 9.0  # years of compulsory school (九年义务教育)
SIBLING_GAP = 3.0  # the next child is about three years younger


class FamilyLife:
    """Schooling, work entry, retirement (household methods)."""

    # -- January ---------------------------------------------------------------------------
    def new_year(self, ctx) -> None:
        """January: school, entry into work, retirement; then health and earning power (:mod:`.health`)."""
        if self.go_to_school(ctx):
            self.start_work()
        self.maybe_retire(ctx)
        self.health_and_earnings(ctx)

    def go_to_school(self, ctx) -> bool:
        """The eldest child in school does another year or leaves; returns True if it leaves."""
        hc = self.params.human_capital
        if self.children <= 0:
            return False
        p_continue = hc.continuation_base
        if self.is_ex_poor:
            p_continue = p_continue - hc.continuation_ex_poor_gap
        if self.is_targeted("education_support"):
            p_continue = p_continue + hc.continuation_support_gain * ctx.levels["education_support"]
        p_continue = min(max(p_continue, 0.0), 1.0)
        u = self.draw(ctx, "school")
        stays = (self.schooling < COMPULSORY_SCHOOLING or u < p_continue) and self.schooling < hc.max_schooling
        if stays:
            self.schooling = self.schooling + 1.0
        return not stays

    def start_work(self) -> None:
        """A school leaver becomes a worker; the next child (three years younger) becomes the eldest in school."""
        workers = self.workers + 1.0
        self.edu = (self.edu * self.workers + self.schooling) / max(workers, 1.0)
        self.workers = workers
        self.children = self.children - 1.0
        self.schooling = max(self.schooling - SIBLING_GAP, 0.0)

    def maybe_retire(self, ctx) -> None:
        """Each worker retires with a small probability: at most one a year."""
        if self.workers > 0 and self.draw(ctx, "retire") < self.params.labour.retirement_prob * self.workers:
            self.workers = self.workers - 1.0
            self.elderly = self.elderly + 1.0
