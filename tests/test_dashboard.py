"""The dashboard without a browser: controls -> scenario, the paired model, the text panel, the charts,
and the page built and clicked through solara's widget tree (app/dashboard.py, app/app.py)."""

from __future__ import annotations

import re

import numpy as np
import pytest

from ruralsim.app import dashboard as dash
from ruralsim.app.dashboard import (ALWAYS_WITHDRAWN, CONTROL_NAMES, FILE_VALUED, KEEPABLE, Controls, DashboardModel,
                             file_values, key_figures, key_figures_text, scenario_from_controls, text_to_html)
from ruralsim.app.dashboard_text import TEXT
from ruralsim.model.policy import PROGRAMME_NAMES
from ruralsim.model.scenario import Scenario
from ruralsim.model.scenario_file import load_scenario

SMALL = {"households": 400, "seed": 3}
WITHDRAWABLE = (*ALWAYS_WITHDRAWN, *[p for names in KEEPABLE.values() for p in names])


def _level(scenario, programme, year, month=0):
    progs = scenario.programmes()
    return progs[programme].level(year, month)


# -- controls -> scenario ---------------------------------------------------------------------------
def test_default_controls_are_the_withdrawal_cliff_file():
    sc = scenario_from_controls()
    cliff = load_scenario(dash.scenario_dir() / "withdrawal_cliff.yaml")
    assert sc.programme_changes == cliff.programme_changes
    assert sc.parameters_overrides == {}


def test_linear_pace_over_three_years_is_the_withdrawal_gradual_file():
    sc = scenario_from_controls(pace="linear", phase_out_years=3, withdrawal_year=2026)
    gradual = load_scenario(dash.scenario_dir() / "withdrawal_gradual.yaml")
    assert sc.programme_changes == gradual.programme_changes


@pytest.mark.parametrize("year", [2021, 2023, 2030])
def test_cliff_withdrawal_year_is_the_first_year_without_support(year):
    sc = scenario_from_controls(withdrawal_year=year, pace="cliff", keep_dibao=False)
    for name in WITHDRAWABLE:
        if year > 2021:
            assert _level(sc, name, year - 1, 11) == 1.0, name
        assert _level(sc, name, year, 0) == 0.0, name
    for name in ("pension", "medical_insurance"):
        assert _level(sc, name, year + 1) == 1.0


@pytest.mark.parametrize("years", [1, 3, 5])
def test_linear_pace_phases_out_over_n_years(years):
    x = 2024
    sc = scenario_from_controls(withdrawal_year=x, pace="linear", phase_out_years=years)
    for name in (*ALWAYS_WITHDRAWN, "monitoring_support", "health_protection", "industry_support"):
        assert _level(sc, name, x - 1, 11) == 1.0
        assert _level(sc, name, x, 0) == pytest.approx(1 - 1 / (12 * years))
        assert _level(sc, name, x + years - 1, 11) == 0.0
    # screening stays on until the help has phased out, then stops (as in withdrawal_gradual.yaml)
    assert _level(sc, "monitoring", x + years - 1, 11) == 1.0
    assert _level(sc, "monitoring", x + years, 0) == 0.0
    assert _level(sc, "dibao", x + years + 1) == 1.0  # kept by default


def test_pace_none_adds_no_withdrawal():
    assert scenario_from_controls(pace="none").programme_changes == {}
    gradual = load_scenario(dash.scenario_dir() / "withdrawal_gradual.yaml")
    sc = scenario_from_controls(scenario_file="withdrawal_gradual.yaml", pace="none", withdrawal_year=2022)
    assert sc.programme_changes == gradual.programme_changes  # the file's own schedules apply


@pytest.mark.parametrize("control", sorted(KEEPABLE))
def test_each_kept_box_keeps_exactly_its_programmes(control):
    flags = {k: False for k in KEEPABLE}
    flags[control] = True
    sc = scenario_from_controls(withdrawal_year=2025, pace="cliff", **flags)
    for name in WITHDRAWABLE:
        expected = 1.0 if name in KEEPABLE[control] else 0.0
        assert _level(sc, name, 2030) == expected, name


def test_a_kept_programme_is_restored_when_the_file_withdraws_it():
    sc = scenario_from_controls(scenario_file="withdrawal_cliff.yaml", withdrawal_year=2028, pace="cliff",
                                keep_monitoring=True, keep_health_protection=True)
    for name in ("monitoring", "monitoring_support", "health_protection", "dibao"):
        assert _level(sc, name, 2032) == 1.0, name
    assert _level(sc, "direct_support", 2027, 11) == 1.0  # the page's year replaces the file's 2025
    assert _level(sc, "direct_support", 2028) == 0.0
    assert _level(sc, "industry_support", 2028) == 0.0


def test_programmes_outside_the_withdrawal_are_left_as_the_file_has_them():
    sc = scenario_from_controls(scenario_file="guaranteed_purchase.yaml", withdrawal_year=2022, keep_dibao=False)
    for name in ("pension", "medical_insurance", "guaranteed_purchase"):
        assert _level(sc, name, 2030) == 1.0, name
    assert _level(sc, "ecommerce", 2030) == 0.0  # off in the baseline, and not switched on
    assert set(sc.programme_changes) - {"guaranteed_purchase"} == set(WITHDRAWABLE)


VALUES = {"monitoring_interval": 6, "detection": 0.42, "detection_sudden": 0.33, "chain_strength": 0.9,
          "leader_capacity": 0.7, "education": 2.0, "dibao_standard": 7000.0}


@pytest.mark.parametrize("control", sorted(FILE_VALUED))
def test_each_slider_sets_its_model_parameter(control):
    kind, key = FILE_VALUED[control]
    sc = scenario_from_controls(pace="none", **{control: VALUES[control]})
    if kind == "param":
        params = sc.parameters()
        assert params.get(key) == VALUES[control]
        assert sc.parameters_overrides == {key: VALUES[control]}
    else:
        prog, field = key
        assert getattr(sc.programmes()[prog], field) == VALUES[control]
        assert sc.programme_changes == {prog: {field: VALUES[control]}}


def test_sliders_left_alone_keep_the_files_values():
    fast = load_scenario(dash.scenario_dir() / "monitoring_fast.yaml")
    sc = scenario_from_controls(scenario_file="monitoring_fast.yaml", pace="none")
    assert sc.parameters_overrides == fast.parameters_overrides
    shown = file_values("monitoring_fast.yaml")
    assert shown["monitoring_interval"] == 1 and shown["detection"] == 0.95
    assert file_values("chain_strengthened.yaml")["chain_strength"] == 0.8
    assert file_values("education_investment.yaml")["education"] == 1.5
    assert file_values("baseline.yaml")["dibao_standard"] == 5842.0
    assert set(shown) == set(FILE_VALUED)


def test_chain_off_removes_cooperatives_and_contracts():
    sc = scenario_from_controls(pace="none", chain=False, chain_strength=0.9)
    p = sc.parameters()
    assert p.get("population.coop_member_share") == 0.0
    assert p.get("cooperative.join_prob") == 0.0
    assert p.get("enterprise.coops_per_enterprise_share") == 0.0  # off wins over the strength slider
    m = DashboardModel({**SMALL, "pace": "none", "chain": False})
    assert (m.reform.hh.cooperative < 0).all()
    assert (m.baseline.hh.cooperative >= 0).any()
    m.close()


def test_every_control_is_documented_and_validated():
    doc = scenario_from_controls.__doc__
    for name in CONTROL_NAMES:
        assert f"``{name}``" in doc, name
    assert set(CONTROL_NAMES) == set(Controls().as_dict())


@pytest.mark.parametrize("bad, message", [
    ({"pace": "stepped"}, "dashboard controls: 'pace': expected one of cliff, linear, none; found 'stepped'"),
    ({"withdrawal_year": 2019}, "dashboard controls: 'withdrawal_year': expected a year in [2021, 2040]; found 2019"),
    ({"phase_out_years": 0}, "dashboard controls: 'phase_out_years': expected an integer in [1, 10] (years); found 0"),
    ({"detection": 1.5}, "dashboard controls: 'detection': expected a number in [0, 1] (probability); found 1.5"),
    ({"monitoring_interval": 13},
     "dashboard controls: 'monitoring_interval': expected an integer in [1, 12] (months); found 13"),
    ({"keep_dibao": "yes"}, "dashboard controls: 'keep_dibao': expected true or false; found 'yes'"),
    ({"households": 0}, "dashboard controls: 'households': expected an integer in [1, 100000000] (households); found 0"),
    ({"seed": -1}, "dashboard controls: 'seed': expected an integer in [0, 9223372036854775807]; found -1"),
    ({"scenario_file": "../pyproject.toml"}, "dashboard controls: 'scenario_file': expected the name of a file in"),
    ({"scenario_file": "nope.yaml"}, "dashboard controls: 'scenario_file': expected the name of a file in"),
])
def test_invalid_controls_are_refused_with_a_clear_message(bad, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        scenario_from_controls(**bad)


def test_unknown_control_is_refused():
    with pytest.raises(TypeError, match="unknown controls"):
        scenario_from_controls(withdrawl_year=2025)


def test_every_scenario_file_can_be_chosen():
    for name in dash.scenario_files():
        sc = scenario_from_controls(scenario_file=name)
        assert sc.programmes()["direct_support"].schedule.shape == "cliff", name
    assert dash.scenario_files()[0] == "baseline.yaml"


# -- the paired model -----------------------------------------------------------------------------
def test_reform_and_baseline_share_households_and_seed_and_differ_only_after_withdrawal():
    m = DashboardModel({**SMALL, "withdrawal_year": 2022})
    assert m.reform.n_households == m.baseline.n_households == 400
    assert m.reform.seed == m.baseline.seed == 3
    assert m.reform_scenario.programmes()["direct_support"].schedule.end == 2021
    for _ in range(24):
        m.step()
    r, b = m.reform.annual_metrics(), m.baseline.annual_metrics()
    assert list(r["year"]) == list(b["year"]) == [2020, 2021, 2022]
    cols = [c for c in r.columns if c != "year"]
    np.testing.assert_allclose(r.loc[r.year <= 2021, cols].to_numpy(float), b.loc[b.year <= 2021, cols].to_numpy(float),
                               rtol=0, atol=0)  # common random numbers: identical until the withdrawal
    assert r.fiscal_cost.iloc[-1] < b.fiscal_cost.iloc[-1]
    assert len(m.flagged) == 24 and m.month == 24
    m.close()


def test_the_run_stops_after_the_last_year_and_close_is_final(monkeypatch):
    monkeypatch.setattr(dash, "END_YEAR", 2021)
    m = DashboardModel({**SMALL, "withdrawal_year": 2021})
    for _ in range(14):
        m.step()
    assert not m.running and m.month == 12 and m.reform.rows[-1]["year"] == 2021
    m.close()
    m.step()
    assert m.closed and m.month == 12


def test_controls_may_come_as_a_reactive_like_object():
    class Holder:
        value = {**SMALL, "pace": "none"}

    m = DashboardModel(Holder())
    assert m.controls.pace == "none" and m.controls.households == 400
    assert not isinstance(getattr(m, "scenario", None), Scenario)  # model.scenario is Mesa's (3.5) or absent
    m.close()


# -- the text panel and the charts ----------------------------------------------------------------
def test_key_figures_text_follows_the_steps_in_both_languages():
    m = DashboardModel({**SMALL, "withdrawal_year": 2022})
    en = key_figures_text(m, "en")
    assert en.startswith("**2020**") and "calibration year" in en and "Fiscal cost" in en
    for _ in range(12):
        m.step()
    en = key_figures_text(m, "en")
    assert en.startswith("**2021**") and "the same" in en
    for _ in range(12):
        m.step()
    k = key_figures(m)
    assert k["year"] == 2022 and k["reform"]["fiscal_cost"] < k["baseline"]["fiscal_cost"]
    en = key_figures_text(m, "en")
    reform = float(re.search(r"Fiscal cost:\*\* ([\d.,]+) million", en).group(1).replace(",", ""))
    assert reform == pytest.approx(k["reform"]["fiscal_cost"] / 1e6, abs=0.006)
    assert "million yuan less" in en
    zh = key_figures_text(m, "zh")
    assert zh.startswith("**2022年**") and "财政支出" in zh and "万元" in zh
    for _ in range(3):
        m.step()
    assert "3 months into 2023" in key_figures_text(m, "en")
    m.close()


def test_text_to_html_escapes_and_lists():
    out = text_to_html("**2021**: a <b> & c\n- **Poverty:** 3%\n- x")
    assert out == '<p><b>2021</b>: a &lt;b&gt; &amp; c</p><ul class="ruralsim-figures"><li><b>Poverty:</b> 3%</li><li>x</li></ul>'


def test_every_text_is_in_english_and_chinese():
    for key, (en, zh) in TEXT.items():
        assert en.strip() and zh.strip(), key
        assert set(re.findall(r"\{(\w*)", en)) == set(re.findall(r"\{(\w*)", zh)), key


def test_charts_draw_reform_and_baseline_in_both_languages():
    from matplotlib.figure import Figure

    from ruralsim.app import dashboard_charts as charts

    m = DashboardModel({**SMALL, "withdrawal_year": 2022})
    for _ in range(30):
        m.step()
    for lang in ("en", "zh"):
        for draw in charts.CHARTS:
            fig = draw(m, lang)
            assert isinstance(fig, Figure)
            lines = [ln for ax in fig.axes for ln in ax.get_lines() if len(ln.get_xdata())]
            assert len(lines) >= 1, draw.__name__
    # every programme is in exactly one fiscal group
    grouped = [p for progs in charts.COST_GROUPS.values() for p in progs]
    assert sorted(grouped) == sorted(PROGRAMME_NAMES)
    m.close()


# -- the page, built and clicked without a browser --------------------------------------------------
def _walk(root):
    import ipywidgets as w

    seen, queue, out = set(), [root], []
    while queue:
        x = queue.pop(0)
        if isinstance(x, w.Widget):
            if id(x) in seen:
                continue
            seen.add(id(x))
            out.append(x)
            queue.extend(getattr(x, name) for name in x.keys)
        elif isinstance(x, (list, tuple)):
            queue.extend(x)
        elif isinstance(x, dict):
            queue.extend(x.values())
    return out


@pytest.fixture
def page(monkeypatch):
    pytest.importorskip("solara")
    pytest.importorskip("mesa.visualization")
    import solara

    from ruralsim.app import app

    app.language.set("en")
    monkeypatch.setitem(app.DEFAULT_CONTROLS, "households", 1_000)

    @solara.component
    def Root():  # the server wraps every page in an AppLayout, which collects the sidebar
        return solara.AppLayout(children=[app.Page()])

    box, rc = solara.render(Root(), handle_error=False)
    yield box, rc
    rc.close()
    app.language.set("en")


def _panel(box) -> str:
    for wd in _walk(box):
        html = getattr(wd, "unsafe_innerHTML", None)
        if html and ("Fiscal cost" in html or "财政支出" in html):
            return re.sub("<[^>]+>", " ", html)
    raise AssertionError("no key-figures panel on the page")


def _button(box, label):
    import ipyvuetify as v

    found = [b for b in _walk(box) if isinstance(b, v.Btn) and b.children == [label]]
    assert len(found) == 1, (label, [b.children for b in _walk(box) if isinstance(b, v.Btn)])
    return found[0]


def _slider(box, label_start):
    """The slider under the label that starts with ``label_start`` (labels sit above their sliders)."""
    import ipyvuetify as v

    widgets = _walk(box)
    for i, wd in enumerate(widgets):
        if isinstance(wd, v.Html) and wd.children and isinstance(wd.children[0], str) \
                and wd.children[0].startswith(label_start):
            parent = next(p for p in widgets if isinstance(getattr(p, "children", None), list) and wd in p.children)
            return next(s for s in parent.children if isinstance(s, v.Slider))
    raise AssertionError(f"no slider labelled {label_start!r}")


def test_the_page_builds_with_every_control_and_chart(page):
    import ipyvuetify as v
    import ipywidgets as w

    box, _ = page
    widgets = _walk(box)
    text = " ".join(str(c) for wd in widgets for c in (getattr(wd, "children", None) or []) if isinstance(c, str))
    for key in ("withdrawal_year", "phase_out_years", "keep_dibao", "keep_monitoring", "keep_health_protection",
                "keep_industry_support", "monitoring_interval", "detection", "detection_sudden", "chain",
                "chain_strength", "leader_capacity", "education", "dibao_standard", "scenario", "households", "seed"):
        label = TEXT[key][0]
        labels = text + " ".join(str(getattr(wd, "label", "")) for wd in widgets)
        assert label in labels, key
    assert sum(isinstance(wd, w.Image) for wd in widgets) == 5  # the five charts
    for label in ("Apply and restart", "Step", "Reset", "▶", "cliff", "linear", "none", "English", "中文"):
        _button(box, label)
    scenario_select = [wd for wd in widgets if isinstance(wd, v.Select) and wd.label == TEXT["scenario"][0]]
    assert scenario_select and set(scenario_select[0].items) >= {"baseline.yaml", "withdrawal_cliff.yaml"}
    assert _panel(box).lstrip().startswith("2020")


def test_step_updates_the_text_panel(page):
    box, _ = page
    _button(box, "Step").click()  # one year: 12 monthly steps
    first = _panel(box)
    assert first.lstrip().startswith("2021")
    _button(box, "Step").click()
    second = _panel(box)
    assert second.lstrip().startswith("2022") and second != first
    figures = re.findall(r"\d[\d,.]*%?", second)
    assert figures != re.findall(r"\d[\d,.]*%?", first)


def test_controls_apply_through_our_button_and_through_mesas_reset(page):
    box, _ = page
    _slider(box, "Withdrawal year").v_model = 2022
    _button(box, "Apply and restart").click()
    text = _panel(box)
    assert "support stops in January 2022" in text and text.lstrip().startswith("2020")
    _button(box, "Step").click()
    _button(box, "Step").click()
    text = _panel(box)
    m = re.search(r"Fiscal cost:\s*([\d.,]+) million yuan this year \(baseline ([\d.,]+) million", text)
    assert float(m.group(1)) < float(m.group(2))
    # Mesa's own Reset builds the model from the controls as they are now
    _slider(box, "Withdrawal year").v_model = 2030
    _button(box, "Reset").click()
    text = _panel(box)
    assert "support stops in January 2030" in text and text.lstrip().startswith("2020")


def test_language_switch(page):
    import ipyvuetify as v

    from ruralsim.app import app

    box, _ = page
    toggles = [wd for wd in _walk(box) if isinstance(wd, v.BtnToggle)
               and any(isinstance(b, v.Btn) and b.children == ["中文"] for b in wd.children)]
    assert len(toggles) == 1
    toggles[0].v_model = 1  # what a click on 中文 does in the browser
    assert app.language.value == "zh"
    text = _panel(box)
    assert "财政支出" in text and "2020年" in text
    _button(box, "应用并重新开始")


# -- ruralsim dashboard ----------------------------------------------------------------------------
def test_dashboard_command_is_registered(capsys):
    from ruralsim.app import cli

    assert cli.main(["dashboard", "--help"]) == 0
    out = capsys.readouterr().out
    assert "--port" in out and "--host" in out and "127.0.0.1" in out


def test_dashboard_command_refuses_a_folder_without_scenarios(tmp_path, capsys):
    from ruralsim.app import cli

    assert cli.main(["dashboard", "--scenarios", str(tmp_path), "--port", "0"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("ruralsim: error: --scenarios must be a folder of scenario files")


def test_dashboard_server_switches_off_solara_telemetry():
    from ruralsim.app.cli_dashboard import offline_environment

    env = offline_environment({})
    assert env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "False"  # solara reports usage to mixpanel by default
    assert offline_environment({"SOLARA_TELEMETRY_MIXPANEL_ENABLE": "True"})["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "True"
