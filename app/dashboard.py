"""The planner's dashboard without the page: controls -> scenario, the paired model, key figures in words.

:mod:`ruralsim.app.app` draws the page (Mesa SolaraViz); everything it computes lives here, so it can be
tested without solara or a browser:

* :class:`Controls` and :func:`scenario_from_controls`: what each control on the page changes in
  the model (the mapping is documented on that function and checked by tests/test_dashboard.py);
* :class:`DashboardModel`: a Mesa model that steps the reform (the controls) and the baseline side
  by side, month by month, with the same households and seed (common random numbers), so every
  difference between the two lines of a chart comes from the policy, not from luck;
* :func:`key_figures` and :func:`key_figures_text`: the current year's figures, in plain English or
  Chinese.
"""

from __future__ import annotations

import dataclasses
import threading
from dataclasses import dataclass, fields
from pathlib import Path

import mesa
import numpy as np

from ruralsim.model.declared import RUN_SETTINGS, Declared
from ruralsim.model.model import START_YEAR, RuralEconomy
from ruralsim.model.problems import Problems
from ruralsim.model.scenario import Scenario
from ruralsim.model.validator import key_declaration
from .dashboard_text import key_figures, key_figures_text, t, text_to_html  # noqa: F401 - re-exported

#: the last simulated year: the page stops there (withdrawal years go up to 2035; education pays off late)
END_YEAR = 2040
PACES = ("cliff", "linear", "none")
#: ended by every withdrawal (the development and income support of withdrawal_cliff.yaml)
ALWAYS_WITHDRAWN = ("direct_support", "education_support", "vocational_training", "welfare_posts", "microcredit",
                    "consumption_support", "leader_training")
#: "programmes kept" checkboxes: control -> the programmes it keeps (monitoring is the screening switch and
#: the help paid to flagged households together)
KEEPABLE = {
    "keep_dibao": ("dibao",),
    "keep_monitoring": ("monitoring", "monitoring_support"),
    "keep_health_protection": ("health_protection",),
    "keep_industry_support": ("industry_support", "priority_hiring"),
}
#: controls that are None unless the user moves them: None keeps the scenario file's value.
#: control -> (where it lives, key): ("param", dotted key) or ("programme", (programme, field))
FILE_VALUED = {
    "monitoring_interval": ("param", "monitoring.interval"),
    "detection": ("param", "monitoring.detection"),
    "detection_sudden": ("param", "monitoring.detection_sudden"),
    "chain_strength": ("param", "enterprise.coops_per_enterprise_share"),
    "leader_capacity": ("param", "cooperative.leader_capacity_mean"),
    "education": ("programme", ("education_support", "generosity")),
    "dibao_standard": ("programme", ("dibao", "amount")),
}
#: the chain switched off: nobody is a cooperative member or joins one, and no cooperative holds an
#: enterprise contract (enterprises still hire local workers)
CHAIN_OFF = {"population.coop_member_share": 0.0, "cooperative.join_prob": 0.0,
             "enterprise.coops_per_enterprise_share": 0.0}
HOUSEHOLDS = (1_000, 2_000, 5_000, 10_000, 20_000)


def scenario_dir() -> Path:
    """The scenario library: $RURALSIM_SCENARIOS, else the checkout's scenarios/, else ./scenarios."""
    import os

    env = os.environ.get("RURALSIM_SCENARIOS")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parents[1] / "scenarios"
    return here if here.is_dir() else Path("scenarios")


def scenario_files(directory: Path | None = None) -> list[str]:
    """Every scenario file of the library (file names), baseline.yaml first."""
    d = directory or scenario_dir()
    names = sorted(p.name for p in d.glob("*.yaml"))
    return sorted(names, key=lambda n: n != "baseline.yaml")


@dataclass
class Controls:
    """The values of the page's controls; the defaults reproduce scenarios/withdrawal_cliff.yaml.

    See :func:`scenario_from_controls` for what each one changes. Every value is checked when the
    controls are built, against :data:`CONTROL_DECLARATIONS` (for a control that sets a scenario key,
    that key's declaration: the same check and words as a scenario file), every problem at once:
    ``dashboard controls: 'detection': expected a number in [0, 1] (probability); found 1.5``."""

    scenario_file: str = "baseline.yaml"
    withdrawal_year: int = 2026
    pace: str = "cliff"
    phase_out_years: int = 3
    keep_dibao: bool = True
    keep_monitoring: bool = False
    keep_health_protection: bool = False
    keep_industry_support: bool = False
    monitoring_interval: int | None = None
    detection: float | None = None
    detection_sudden: float | None = None
    chain: bool = True
    chain_strength: float | None = None
    leader_capacity: float | None = None
    education: float | None = None
    dibao_standard: float | None = None
    households: int = 5_000
    seed: int = 0

    def __post_init__(self):
        problems = Problems(WHERE)
        for name, declared in CONTROL_DECLARATIONS.items():
            value = getattr(self, name)
            if value is None and name in FILE_VALUED:  # None keeps the chosen file's value
                continue
            expected = declared.problem(value)
            if expected:
                problems.add(name, expected, value)
        problems.raise_if_any()

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


CONTROL_NAMES = tuple(f.name for f in fields(Controls))
WHERE = "dashboard controls"  # FILE in the messages about controls


def _control(value, type: str, description: str, **more) -> Declared:
    return Declared(value=value, type=type, description=description, source="the dashboard's control", **more)


def _file_valued(control: str, **narrower) -> Declared:
    """The declaration of the scenario key a control sets (narrowed to the page's range, if narrower)."""
    kind, key = FILE_VALUED[control]
    path = f"parameters.{key}" if kind == "param" else f"programmes.{key[0]}.{key[1]}"
    declared = key_declaration(path)[0]
    return declared.narrowed(**narrower, source="the dashboard's range") if narrower else declared


#: What each control accepts. A control that sets a scenario key accepts what that key's declaration
#: does (the same check and the same words as a scenario file), unless the page offers less.
CONTROL_DECLARATIONS = {
    "scenario_file": _control("baseline.yaml", "text", "a file of the scenario library"),
    "withdrawal_year": _control(2026, "year", "first year without the withdrawn programmes", low=START_YEAR,
                                high=END_YEAR, unit="year"),
    "pace": _control("cliff", "choice", "how support is withdrawn", choices=PACES),
    "phase_out_years": _control(3, "integer", "length of a linear phase-out", low=1, high=10, unit="years"),
    **{name: _control(True, "flag", "keep the programme (or the chain)") for name in (*KEEPABLE, "chain")},
    "monitoring_interval": _file_valued("monitoring_interval"),
    "detection": _file_valued("detection"),
    "detection_sudden": _file_valued("detection_sudden"),
    "chain_strength": _file_valued("chain_strength"),
    "leader_capacity": _file_valued("leader_capacity", low=0.05, high=0.95),
    "education": _file_valued("education", high=5),
    "dibao_standard": _file_valued("dibao_standard"),
    "households": RUN_SETTINGS["households"],
    "seed": RUN_SETTINGS["seed"],
}


def _base_scenario(name: str, directory: Path | None) -> Scenario:
    from ruralsim.model.scenario_file import load_scenario

    path = (directory or scenario_dir()) / name
    if Path(name).name != name or not path.is_file():
        problems = Problems(WHERE)
        problems.add("scenario_file", f"the name of a file in {directory or scenario_dir()}", name)
        problems.raise_if_any()
    return load_scenario(path)


def _plain(v):
    """numpy scalars -> Python numbers (the scenario loader accepts only plain ints and floats)."""
    return v.item() if isinstance(v, np.generic) else v


def controls_overlay(controls: Controls, directory: Path | None = None) -> dict:
    """The controls as a scenario file (a mapping) that extends the chosen file; see :func:`scenario_from_controls`."""
    c = controls
    base = _base_scenario(c.scenario_file, directory)
    params: dict = {}
    progs: dict[str, dict] = {}
    if c.pace != "none":
        x, n = int(c.withdrawal_year), int(c.phase_out_years)
        if c.pace == "cliff":  # full through December of the year before, nothing from January of X
            sched = {"shape": "cliff", "end": x - 1}
            switch = sched
        else:  # monthly steps from January of X to zero in December of X + n - 1 (35/36 first, for n = 3)
            sched = {"shape": "linear", "phase_out_start": x, "end": x + n - 1}
            # screening is on or off; it stays on until the help to flagged households has phased out
            switch = {"shape": "cliff", "end": x + n - 1}
        withdrawn = list(ALWAYS_WITHDRAWN)
        kept = []
        for control, names in KEEPABLE.items():
            (kept if getattr(c, control) else withdrawn).extend(names)
        for name in withdrawn:
            progs[name] = {"schedule": dict(switch if name == "monitoring" else sched)}
        for name in kept:  # kept means kept: undo a withdrawal written in the chosen file
            if base.programme_changes.get(name, {}).get("schedule", {}).get("shape", "none") != "none":
                progs[name] = {"schedule": {"shape": "none"}}
    for control, (kind, key) in FILE_VALUED.items():
        value = getattr(c, control)
        if value is None:
            continue
        value = _plain(value)
        if kind == "param":
            params[key] = int(value) if key == "monitoring.interval" else float(value)
        else:
            prog, field = key
            progs.setdefault(prog, {})[field] = float(value)
    if not c.chain:
        params.update(CHAIN_OFF)
    extends = str(((directory or scenario_dir()) / c.scenario_file).resolve())
    return {"name": f"dashboard: {Path(c.scenario_file).stem}", "description": describe_controls(c),
            "extends": extends, "parameters": params, "programmes": progs}


def scenario_from_controls(directory: Path | None = None, **controls) -> Scenario:
    """The scenario the page's controls describe: an overlay on the chosen scenario file.

    Mapping (control -> model):

    * ``scenario_file``: the file of ``scenarios/`` the overlay ``extends``;
    * ``withdrawal_year`` X, ``pace`` and ``phase_out_years`` N: ``pace='none'`` changes no schedule (the
      file's own apply). Otherwise direct_support, education_support, vocational_training, welfare_posts,
      microcredit and consumption_support, plus each programme whose "kept" box is unticked, get the
      schedule ``{shape: cliff, end: X-1}`` (full through X-1, nothing from January of X) for
      ``pace='cliff'``, or ``{shape: linear, phase_out_start: X, end: X+N-1}`` for ``pace='linear'``;
      the screening switch ``monitoring`` then gets ``{shape: cliff, end: X+N-1}`` (as in
      withdrawal_gradual.yaml). pension, medical_insurance, guaranteed_purchase and ecommerce are never
      withdrawn.
    * ``keep_dibao`` -> dibao; ``keep_monitoring`` -> monitoring and monitoring_support;
      ``keep_health_protection`` -> health_protection; ``keep_industry_support`` -> industry_support.
      A kept programme that the chosen file withdraws gets ``{shape: none}`` back.
    * ``monitoring_interval`` -> parameter ``monitoring.interval`` (months between screenings);
      ``detection`` -> ``monitoring.detection`` (households at risk); ``detection_sudden`` ->
      ``monitoring.detection_sudden`` (households in sudden difficulty);
    * ``chain`` False -> ``population.coop_member_share``, ``cooperative.join_prob`` and
      ``enterprise.coops_per_enterprise_share`` all 0 (no cooperative + enterprise chain);
      ``chain_strength`` -> ``enterprise.coops_per_enterprise_share`` (share of cooperatives with an
      enterprise contract); ``leader_capacity`` -> ``cooperative.leader_capacity_mean`` (带头人);
    * ``education`` -> education_support ``generosity`` (1 = the baseline 3,000 yuan per student a year);
    * ``dibao_standard`` -> dibao ``amount`` (the minimum living guarantee standard, yuan per person a
      year at 2020 prices, indexed as in the baseline);
    * ``households`` and ``seed`` -> :class:`RuralEconomy` arguments (not part of the scenario).

    The seven controls that may be None keep the chosen file's value when None; the page shows that
    value until the user moves the control. The overlay is checked by the scenario loader like a file.
    """
    from ruralsim.model.scenario_file import scenario_from_dict

    unknown = sorted(set(controls) - set(CONTROL_NAMES))
    if unknown:
        raise TypeError(f"scenario_from_controls got unknown controls {unknown}; expected some of {CONTROL_NAMES}")
    c = Controls(**controls)
    d = directory or scenario_dir()
    return scenario_from_dict(controls_overlay(c, d), where="dashboard controls", base_dir=d,
                              name=f"dashboard: {Path(c.scenario_file).stem}")


def file_values(scenario_file: str, directory: Path | None = None) -> dict:
    """The chosen file's value of every control that may be None (shown on the page until moved)."""
    base = _base_scenario(scenario_file, directory)
    params = base.parameters()
    params.apply_year(START_YEAR)
    progs = base.programmes()
    out = {}
    for control, (kind, key) in FILE_VALUED.items():
        if kind == "param":
            out[control] = _plain(params.get(key))
        else:
            prog, field = key
            progs[prog].apply_year(START_YEAR)
            out[control] = float(getattr(progs[prog], field))
    return out


def describe_controls(c: Controls, lang: str = "en") -> str:
    """One line: what the reform does (the chosen file, the withdrawal, what is kept)."""
    kept = [t(k, lang) for k in KEEPABLE if getattr(c, k)]
    if c.pace == "none":
        w = t("no_withdrawal", lang)
    elif c.pace == "cliff":
        w = t("withdrawal_cliff_desc", lang).format(year=c.withdrawal_year)
    else:
        w = t("withdrawal_linear_desc", lang).format(year=c.withdrawal_year, end=c.withdrawal_year + c.phase_out_years - 1)
    sep = "、" if lang == "zh" else ", "
    kept_text = sep.join(kept) if kept else t("nothing", lang)
    return t("reform_line", lang).format(file=c.scenario_file, withdrawal=w, kept=kept_text)


class DashboardModel(mesa.Model):
    """The reform (the page's controls) and the baseline, stepped together one month at a time.

    Both are :class:`RuralEconomy` counties with the same households and seed, so they meet the same
    shocks (common random numbers). The baseline is the transition-period policy kept indefinitely
    (scenarios/baseline.yaml). The run stops after December of :data:`END_YEAR`.

    Args:
        controls: a :class:`Controls`, a mapping of control values (missing ones take their defaults),
            or an object whose ``value`` is one: the page passes its reactive controls as a fixed model
            parameter, so that Mesa's Reset button applies the controls as they are at that moment.
        scenario_directory: the scenario library (default :func:`scenario_dir`).

    The reform's scenario is ``reform_scenario``: ``scenario`` is left to Mesa (from Mesa 3.5 a model's
    ``scenario`` is a ``mesa.experimental.scenarios.Scenario``, which SolaraViz's Reset relies on), and
    the constructor takes no ``**kwargs`` so that Mesa 3.5's Reset passes no ``scenario`` to it.
    """

    def __init__(self, controls=None, scenario_directory: Path | None = None):
        if controls is not None and hasattr(controls, "value") and not isinstance(controls, (dict, Controls)):
            controls = controls.value
        if isinstance(controls, Controls):
            controls = controls.as_dict()
        c = Controls(**(controls or {}))
        super().__init__(rng=int(c.seed))
        self.controls = c
        self.reform_scenario = scenario_from_controls(scenario_directory, **c.as_dict())
        self.reform = RuralEconomy(self.reform_scenario, c.households, rng=c.seed, household_agents=False)
        self.baseline = RuralEconomy(None, c.households, rng=c.seed, household_agents=False)
        #: share of households flagged by monitoring at the end of each month: (months since January 2021
        #: including that month, reform, baseline)
        self.flagged: list[tuple[int, float, float]] = []
        #: held while a month is simulated; the page draws under it so that both arms show the same month
        self.lock = threading.Lock()
        self.closed = False
        self.running = True

    @property
    def month(self) -> int:
        """Months simulated since January 2021."""
        return int(self.reform.t)

    def step(self) -> None:
        """One month of both counties."""
        with self.lock:
            if self.closed or not self.running:
                return
            self.reform.step()
            self.baseline.step()
            self.flagged.append((int(self.reform.t), float(self.reform.hh.monitored.mean()),
                                 float(self.baseline.hh.monitored.mean())))
            if self.reform.rows[-1]["year"] >= END_YEAR:
                self.running = False

    def close(self) -> None:
        """Free both counties (Mesa < 3.4 keeps every model alive; see RuralEconomy.close). Waits for a step."""
        with self.lock:
            if not self.closed:
                self.closed = True
                self.running = False
                self.reform.close()
                self.baseline.close()
