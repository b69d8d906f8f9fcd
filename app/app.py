"""The planner's dashboard: a Mesa SolaraViz page (``ruralsim dashboard`` serves it).

    ruralsim dashboard                  # http://127.0.0.1:8765
    solara run ruralsim.app.app                # the same page through solara's own command

The sidebar holds the policy controls (scenario file, withdrawal year and pace, programmes kept,
monitoring, the enterprise + cooperative chain, education, the minimum living guarantee standard,
households, seed) in English or Chinese, then Mesa's own controls (Reset, ▶, Step). A control takes
effect when "Apply and restart" (or Mesa's Reset) builds a new :class:`ruralsim.app.dashboard.DashboardModel`
from the controls: the reform and the baseline, stepped together. Step runs one year (12 monthly
steps); every chart draws the reform (solid) against the baseline (dashed) with the same seed.

What each control changes in the model: :func:`ruralsim.app.dashboard.scenario_from_controls`. Charts use
matplotlib (Altair would fetch vega from a CDN); with ``solara-assets`` installed every asset of
the page is served locally, so the page works without internet (tests/test_dashboard_browser.py
checks that no request leaves localhost).

Mesa 3.3 and 3.5 differ in SolaraViz's Reset: 3.5 passes a ``scenario`` to the model class when
the model has a Mesa scenario and accepts one; :class:`DashboardModel` leaves ``model.scenario`` to
Mesa and takes only ``controls``, which works with both (see its docstring). Components are given as
solara components (not plain functions) so that Mesa does not wrap, and so remount, them at every
render; each reads Mesa's ``update_counter`` to redraw after a step.
"""

from __future__ import annotations

import solara
import yaml
from mesa.visualization import SolaraViz
from mesa.visualization.utils import update_counter

from .dashboard import (HOUSEHOLDS, KEEPABLE, PACES, Controls, DashboardModel, controls_overlay, file_values,
                        key_figures_text, scenario_dir, scenario_files, text_to_html)
from .dashboard_charts import (chart_language, fiscal_chart, flagged_chart, income_chart, inequality_chart,
                               poverty_chart)
from .dashboard_text import LANGUAGES, t

#: the page's language, per browser session (solara scopes module-level reactive values to a session)
language = solara.reactive("en")
#: the controls when the page opens (the default reform is scenarios/withdrawal_cliff.yaml)
DEFAULT_CONTROLS = Controls().as_dict()
#: steps per press of Step (and per redraw while playing): one year of monthly steps
STEPS_PER_YEAR = 12


# -- the components drawn on Mesa's grid ------------------------------------------------------
@solara.component
def KeyFigures(model: DashboardModel):
    """The current year's key figures in plain words, and the reform as a scenario file."""
    update_counter.get()
    lang = language.value
    with solara.Card(t("panel_title", lang), classes=["ruralsim-key-figures"],
                     style={"height": "100%", "overflow": "auto", "font-size": "0.9em"}) as card:
        with model.lock:  # not between the reform's and the baseline's month (Mesa's "Use Threads")
            text = key_figures_text(model, lang)
        solara.HTML(tag="div", unsafe_innerHTML=text_to_html(text), classes=["ruralsim-key-figures-text"])
        solara.Text(t("baseline_note", lang), style={"font-size": "0.85em", "color": "#555"})
        overlay = controls_overlay(model.controls, None)
        overlay["extends"] = model.controls.scenario_file  # relative, as in a file saved in scenarios/
        solara.Details(summary=t("as_file", lang),
                       children=[solara.Preformatted(yaml.safe_dump(overlay, allow_unicode=True, sort_keys=False))])
    return card


def _chart(draw, name: str):
    @solara.component
    def Chart(model: DashboardModel):
        update_counter.get()
        lang = chart_language(language.value)
        months = model.month

        def figure():
            with model.lock:
                return draw(model, lang)

        fig = solara.use_memo(figure, [model, months, lang])
        return solara.FigureMatplotlib(fig, dependencies=[model, months, lang])

    Chart.__name__ = Chart.__qualname__ = name
    return Chart


PovertyChart = _chart(poverty_chart, "PovertyChart")
InequalityChart = _chart(inequality_chart, "InequalityChart")
IncomeChart = _chart(income_chart, "IncomeChart")
FiscalChart = _chart(fiscal_chart, "FiscalChart")
FlaggedChart = _chart(flagged_chart, "FlaggedChart")
COMPONENTS = [(c, 0) for c in (KeyFigures, PovertyChart, InequalityChart, IncomeChart, FiscalChart, FlaggedChart)]


# -- the policy controls ----------------------------------------------------------------------
def Heading(text: str):
    """A section heading in the sidebar (not solara.Markdown, which loads KaTeX from a CDN)."""
    return solara.Text(text, style={"font-weight": "bold", "display": "block", "margin-top": "12px"})


@solara.component
def LabeledSlider(label: str, value, on_value, kind: str = "int", fmt=str, name: str = "", disabled: bool = False,
                  **slider):
    """A slider with its label and current value on a line above it (solara puts a label beside the
    slider, which leaves no room for the slider in the sidebar); ``name`` becomes a CSS class."""
    with solara.Div(classes=[f"ruralsim-{name.replace('_', '-')}"] if name else []) as div:
        solara.Text(f"{label}: {fmt(value)}", classes=["ruralsim-slider-label"],
                    style={"font-size": "0.85em", "display": "block", "color": "#999" if disabled else "#333"})
        cls = solara.SliderInt if kind == "int" else solara.SliderFloat
        cls("", value=value, on_value=on_value, disabled=disabled, thumb_label=False, **slider)
    return div


FORMATS = {
    "monitoring_interval": lambda v: f"{int(v)}",
    "detection": lambda v: f"{100 * v:.2f}%",
    "detection_sudden": lambda v: f"{100 * v:.2f}%",
    "chain_strength": lambda v: f"{100 * v:.0f}%",
    "leader_capacity": lambda v: f"{v:.2f}",
    "education": lambda v: f"{v:.2f}x",
    "dibao_standard": lambda v: f"{v:,.0f}",
}


@solara.component
def FileValued(controls: solara.Reactive, name: str, shown, kind: str, lang: str, **slider):
    """A slider whose control is None (the scenario file's value, shown) until the user moves it."""
    value = controls.value[name]
    current = shown if value is None else value
    suffix = f" ({t('from_file', lang)})" if value is None else ""

    def set_value(v):
        if abs(float(v) - float(current)) > 1e-9:  # a slider snapping the file's value is not a change
            controls.value = {**controls.value, name: int(v) if kind == "int" else float(v)}

    fmt = FORMATS[name]
    LabeledSlider(t(name, lang), current, set_value, kind, fmt=lambda v: fmt(v) + suffix, name=name, **slider)


@solara.component
def PolicyControls(controls: solara.Reactive, on_apply):
    """Every control of the page, in the sidebar, with its label in the page's language."""
    lang = language.value
    c = controls.value
    shown = solara.use_memo(lambda: file_values(c["scenario_file"]), [c["scenario_file"]])
    files = solara.use_memo(scenario_files, [])

    def set_(name):
        def setter(v):
            controls.value = {**controls.value, name: v}
        return setter

    def set_file(name):
        # a new file: the file-valued controls show that file's values again
        controls.value = {**controls.value, "scenario_file": name,
                          **{k: None for k in ("monitoring_interval", "detection", "detection_sudden", "chain_strength",
                                               "leader_capacity", "education", "dibao_standard")}}

    with solara.Sidebar():
        with solara.Card(t("policy_card", lang), classes=["ruralsim-controls"]):
            with solara.ToggleButtonsSingle(value=lang, on_value=language.set, dense=True):
                for code, label in LANGUAGES.items():
                    solara.Button(label, value=code, text=True, classes=[f"ruralsim-lang-{code}"])
            solara.Button(t("apply", lang), color="primary", on_click=on_apply, classes=["ruralsim-apply"],
                          style={"margin": "8px 0", "display": "block"})
            solara.Text(t("apply_hint", lang), style={"font-size": "0.8em", "color": "#555", "display": "block"})
            solara.Select(t("scenario", lang), values=files, value=c["scenario_file"], on_value=set_file)

            Heading(t("withdrawal_section", lang))
            with solara.ToggleButtonsSingle(value=c["pace"], on_value=set_("pace"), dense=True,
                                            classes=["ruralsim-pace"]):
                for pace in PACES:
                    solara.Button(t(f"pace_{pace}_short", lang), value=pace, text=True,
                                  classes=[f"ruralsim-pace-{pace}"])
            solara.Text(t(f"pace_{c['pace']}", lang), style={"font-size": "0.8em", "color": "#555", "display": "block"})
            LabeledSlider(t("withdrawal_year", lang), c["withdrawal_year"], set_("withdrawal_year"), min=2021,
                          max=2035, name="withdrawal_year", disabled=c["pace"] == "none")
            LabeledSlider(t("phase_out_years", lang), c["phase_out_years"], set_("phase_out_years"), min=1, max=10,
                          name="phase_out_years", disabled=c["pace"] != "linear")

            Heading(t("kept_section", lang))
            for name in KEEPABLE:
                solara.Checkbox(label=t(name, lang), value=c[name], on_value=set_(name), disabled=c["pace"] == "none")

            Heading(t("monitoring_section", lang))
            FileValued(controls, "monitoring_interval", shown["monitoring_interval"], "int", lang, min=1, max=12)
            FileValued(controls, "detection", shown["detection"], "float", lang, min=0.0, max=1.0, step=0.0001)
            FileValued(controls, "detection_sudden", shown["detection_sudden"], "float", lang, min=0.0, max=1.0,
                       step=0.0001)

            Heading(t("chain_section", lang))
            solara.Checkbox(label=t("chain", lang), value=c["chain"], on_value=set_("chain"))
            if c["chain"]:
                FileValued(controls, "chain_strength", shown["chain_strength"], "float", lang, min=0.0, max=1.0,
                           step=0.05)
                FileValued(controls, "leader_capacity", shown["leader_capacity"], "float", lang, min=0.05, max=0.95,
                           step=0.05)

            Heading(t("support_section", lang))
            FileValued(controls, "education", shown["education"], "float", lang, min=0.0, max=3.0, step=0.25)
            FileValued(controls, "dibao_standard", shown["dibao_standard"], "int", lang, min=2000, max=12000, step=1)

            Heading(t("county_section", lang))
            solara.Select(t("households", lang), values=list(HOUSEHOLDS), value=c["households"],
                          on_value=set_("households"))
            solara.InputInt(t("seed", lang), value=c["seed"], on_value=lambda v: set_("seed")(max(0, int(v or 0))))


# -- the page ---------------------------------------------------------------------------------
@solara.component
def Page():
    """The dashboard: policy controls, Mesa's SolaraViz (controller and grid of components)."""
    controls = solara.use_reactive(dict(DEFAULT_CONTROLS))
    first = solara.use_memo(lambda: DashboardModel(controls=controls.value), [])
    model = solara.use_reactive(first)
    generation = solara.use_reactive(0)
    # close a county when it is replaced or the page is closed (Mesa < 3.4 would keep it alive)
    solara.use_effect(lambda: (lambda m=model.value: m.close()), [model.value])

    def apply():
        model.value = DashboardModel(controls=controls.value)
        generation.value += 1  # a fresh SolaraViz: its controller starts paused, at the new model

    lang = language.value
    PolicyControls(controls, apply)
    SolaraViz(model, components=COMPONENTS, model_params={"controls": controls}, name=t("title", lang),
              render_interval=STEPS_PER_YEAR, play_interval=200).key(f"viz-{generation.value}")


__all__ = ["Page", "COMPONENTS", "KeyFigures", "PolicyControls", "language", "scenario_dir"]
