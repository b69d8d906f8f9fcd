"""A household's family life: schooling, entry into work, retirement, births and deaths.

Part of the :class:`~model.agents.household.Household` agent (a mixin): what
happens to the members of a household rather than what it decides.  Each
January the eldest child in school does another school year or leaves and starts
work (nine years of compulsory school, 九年义务教育), a worker may retire, a child
may be born and a member of each age group may die; then the household's health
and earning power move on (:mod:`.health`).  A household whose last member died
is replaced by a newly formed one (:mod:`model.demography`, county-wide, after
every household's year: :meth:`FamilyLife.start_household` resets what the agent
itself keeps).  Mechanisms, parameters and sources:
:mod:`model.rules.human_capital`, :mod:`model.rules.demography`.
"""

from __future__ import annotations

COMPULSORY_SCHOOLING = 9.0  # years of compulsory school (九年义务教育)
SIBLING_GAP = 3.0  # the next child is about three years younger


class FamilyLife:
    """Schooling, work entry, retirement, births and deaths (household methods)."""

    # -- January ---------------------------------------------------------------------------
    def new_year(self, ctx) -> None:
        """January: school, entry into work, retirement, a birth, deaths; then health and earning power
        (:mod:`.health`)."""
        leaves = self.go_to_school(ctx)
        self.age_youngest()
        if leaves:
            self.start_work()
        self.maybe_retire(ctx)
        self.maybe_have_a_child(ctx)
        self.face_deaths(ctx)
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

    def age_youngest(self) -> None:
        """The youngest child is a year older (an only child is the eldest, whose school year is done)."""
        if self.children >= 2:
            self.youngest = self.youngest + 1.0
        else:
            self.youngest = self.schooling if self.children > 0 else 0.0

    def start_work(self) -> None:
        """A school leaver becomes a worker; the next child, about three years younger but no younger than the
        youngest (the youngest itself if it is the only one left), becomes the eldest."""
        workers = self.workers + 1.0
        self.edu = (self.edu * self.workers + self.schooling) / max(workers, 1.0)
        self.workers = workers
        self.children = self.children - 1.0
        if self.children >= 2:
            self.schooling = max(self.schooling - SIBLING_GAP, self.youngest)
        elif self.children > 0:
            self.schooling = self.youngest
        else:
            self.schooling = 0.0

    def maybe_retire(self, ctx) -> None:
        """Each worker retires with a small probability: at most one a year."""
        if self.workers > 0 and self.draw(ctx, "retire") < self.params.labour.retirement_prob * self.workers:
            self.workers = self.workers - 1.0
            self.elderly = self.elderly + 1.0

    def maybe_have_a_child(self, ctx) -> None:
        """A birth with probability per working-age member (at most one a year, none with three children);
        a first child is six years from school (negative schooling)."""
        d = self.params.demography
        if self.children < d.max_children and self.shock_draw(ctx, "birth") < min(d.birth_rate * self.workers, 1.0):
            if self.children <= 0:
                self.schooling = -d.pre_school_years
            self.youngest = -d.pre_school_years
            self.children = self.children + 1.0
            self.members = self.members + 1.0

    def face_deaths(self, ctx) -> None:
        """At most one death in each age group: a child, a working-age member (the one in the local job, a
        migrant or one at home, in proportion to their numbers), an elderly member."""
        d = self.params.demography
        if self.children > 0 and self.shock_draw(ctx, "death_child") < min(d.child_mortality * self.children, 1.0):
            self.children = self.children - 1.0
            self.members = self.members - 1.0
            if self.children <= 0:
                self.schooling = 0.0
            if self.children <= 1:
                self.youngest = self.schooling
        u = self.shock_draw(ctx, "death_worker")
        if self.workers > 0 and u < min(d.worker_mortality * self.workers, 1.0):
            if self.local_job > 0 and u < d.worker_mortality * self.local_job:
                self.local_job = 0.0  # the local job holder died: the match ends
                self.employer = -1
                self.workshop_job = False
            elif self.migrants > 0 and u < d.worker_mortality * (self.local_job + self.migrants):
                self.migrants = self.migrants - 1.0
            self.workers = self.workers - 1.0
            self.members = self.members - 1.0
        self.migrants = min(self.migrants, self.workers)
        if self.elderly > 0 and self.shock_draw(ctx, "death_elderly") < min(d.elderly_mortality * self.elderly, 1.0):
            self.elderly = self.elderly - 1.0
            self.members = self.members - 1.0

    def start_household(self, source, scale: float) -> None:
        """Our row was taken by a newly formed household (:mod:`model.demography`): our income window is that of
        ``source`` (the parent household) times ``scale``, with no medical spending yet."""
        self.income_by_month = [x * scale for x in source.income_by_month]
        self.oop_by_month = [0.0] * 12
        self.acute_risk = self.risk_of_acute_illness()  # our health, not the dissolved household's
