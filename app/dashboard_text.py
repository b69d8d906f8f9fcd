"""Every word on the dashboard, in English and Chinese (the page's language switch), and the text
panel that states the current year's key figures in plain words.

``t(key, lang)`` returns the text; a missing Chinese text falls back to English, a missing key
raises KeyError (tests/test_dashboard.py checks both languages have every key).
"""

from __future__ import annotations

import math

from ruralsim.model.model import START_YEAR

LANGUAGES = {"en": "English", "zh": "中文"}

TEXT: dict[str, tuple[str, str]] = {
    # page
    "title": ("Rural incomes after poverty alleviation: what if support is withdrawn?",
              "脱贫之后的农村收入：如果帮扶政策退出会怎样？"),
    "language": ("Language", "语言"),
    "policy_card": ("Scenario and policy", "情景与政策"),
    "apply": ("Apply and restart", "应用并重新开始"),
    "apply_hint": ("Changes take effect when you press 'Apply and restart' (or Mesa's Reset). "
                   "Step runs one year; ▶ runs on.",
                   "修改在点击“应用并重新开始”（或 Mesa 的 Reset）后生效。Step 前进一年；▶ 连续运行。"),
    "baseline_note": ("Dashed lines: the baseline (transition-period support kept, scenarios/baseline.yaml), "
                      "same households and seed.",
                      "虚线：基准情景（过渡期帮扶政策保持不变，scenarios/baseline.yaml），农户与随机种子相同。"),
    "scenario": ("Scenario file", "情景文件"),
    "withdrawal_section": ("Withdrawal of support", "帮扶政策退出"),
    "withdrawal_year": ("Withdrawal year (first year without full support)", "退出年份（首个不再全额帮扶的年份）"),
    "pace": ("Pace of withdrawal", "退出方式"),
    "pace_cliff": ("cliff: stops at once", "一次性退出"),
    "pace_linear": ("linear: phased out over N years", "逐年线性退出"),
    "pace_none": ("none: no withdrawal added", "不退出（按情景文件）"),
    "pace_cliff_short": ("cliff", "一次性"),
    "pace_linear_short": ("linear", "逐年"),
    "pace_none_short": ("none", "不退出"),
    "phase_out_years": ("Phase-out years N", "退出年数 N"),
    "kept_section": ("Programmes kept after withdrawal", "退出后保留的政策"),
    "keep_dibao": ("minimum living guarantee", "最低生活保障（低保）"),
    "keep_monitoring": ("monitoring and its help", "防止返贫动态监测帮扶"),
    "keep_health_protection": ("health protection", "健康保障（三重保障）"),
    "keep_industry_support": ("industry support", "产业扶持"),
    "monitoring_section": ("Monitoring", "动态监测"),
    "monitoring_interval": ("Months between screenings", "排查间隔（月）"),
    "detection": ("Detection rate: low income", "发现率：收入偏低户"),
    "detection_sudden": ("Detection rate: sudden difficulty", "发现率：突发严重困难户"),
    "chain_section": ("Leading enterprise + cooperative + farmer chain", "龙头企业 + 合作社 + 农户"),
    "chain": ("chain on", "启用产业链带动"),
    "chain_strength": ("Strength: share of cooperatives with an enterprise contract", "强度：与龙头企业签约的合作社比例"),
    "leader_capacity": ("Cooperative leader capacity (mean)", "合作社带头人能力（均值）"),
    "support_section": ("Education and minimum living guarantee", "教育与低保"),
    "education": ("Education support (x baseline 3,000 yuan per student a year)", "教育资助（基准每生每年3,000元的倍数）"),
    "dibao_standard": ("Minimum living guarantee standard (yuan per person a year, 2020 prices)",
                       "低保标准（元/人/年，2020年价格）"),
    "county_section": ("County and random seed", "县域规模与随机种子"),
    "households": ("Number of households", "农户数"),
    "seed": ("Seed", "随机种子"),
    "from_file": ("from the scenario file", "取自情景文件"),
    "as_file": ("This reform as a scenario file (save it in scenarios/ to run it with 'ruralsim run')",
                "本改革情景的情景文件（保存到 scenarios/ 后可用 ruralsim run 运行）"),
    # reform description
    "reform_line": ("Reform: {file}; {withdrawal}; kept: {kept}.", "改革情景：{file}；{withdrawal}；保留：{kept}。"),
    "no_withdrawal": ("no withdrawal added", "不额外退出"),
    "withdrawal_cliff_desc": ("support stops in January {year}", "{year}年1月起停止帮扶"),
    "withdrawal_linear_desc": ("support phased out {year}-{end}", "{year}-{end}年逐步退出帮扶"),
    "nothing": ("nothing", "无"),
    # text panel
    "panel_title": ("This year in plain words", "本年要点"),
    "panel_heading": ("**{year}**: the reform against the baseline (same households, same shocks).",
                      "**{year}年**：改革情景与基准情景对比（农户与冲击相同）。"),
    "run_to": ("(the model has run {month} months into {year})", "（模型已运行至{year}年第{month}个月）"),
    "calibration_note": ("2020 is the calibration year, before the reform: press Step to simulate 2021.",
                         "2020年为校准年（改革之前）：点击 Step 模拟2021年。"),
    "line_poverty": ("- **Poverty:** {r} of people are below the poverty line (baseline {b}; {d}).",
                     "- **贫困：** {r}的人口低于贫困线（基准{b}；{d}）。"),
    "line_relapse": ("- **Relapse:** {r} of people in formerly poor households fell back below the line this year "
                     "(baseline {b}); since 2021, {rc} have (baseline {bc}).",
                     "- **返贫：** 脱贫户人口中{r}今年返贫（基准{b}）；2021年以来累计{rc}（基准{bc}）。"),
    "line_relapse_2020": ("- **Relapse:** {r} of people in formerly poor households are below the line "
                          "(baseline {b}).", "- **返贫：** 脱贫户人口中{r}低于贫困线（基准{b}）。"),
    "line_new_poverty": ("- **Never registered:** {r} of people in households never registered as poor are poor "
                         "(baseline {b}).",
                         "- **非建档立卡户：** {r}处于贫困（基准{b}）。"),
    "line_inequality": ("- **Inequality:** Gini {r:.3f} (baseline {b:.3f}); the richest fifth earn {rq:.1f} times as "
                        "much as the poorest fifth (baseline {bq:.1f}).",
                        "- **不平等：** 基尼系数{r:.3f}（基准{b:.3f}）；最富20%人口的人均收入是最穷20%的{rq:.1f}倍"
                        "（基准{bq:.1f}倍）。"),
    "line_income": ("- **Income:** {r:,.0f} yuan per person on average (baseline {b:,.0f}); transfers are {rt} of "
                    "income (baseline {bt}).",
                    "- **收入：** 人均可支配收入{r:,.0f}元（基准{b:,.0f}元）；转移性收入占{rt}（基准{bt}）。"),
    "line_monitoring": ("- **Monitoring:** {r} of households are flagged now (baseline {b}); {ry} of people were "
                        "flagged this year (baseline {by}).",
                        "- **监测：** 目前{r}的农户被纳入监测（基准{b}）；今年被监测人口占{ry}（基准{by}）。"),
    "line_fiscal": ("- **Fiscal cost:** {r} this year (baseline {b}): {d}.",
                    "- **财政支出：** 今年{r}（基准{b}）：{d}。"),
    "same": ("the same", "相同"),
    "points_more": ("{:.1f} points more", "高{:.1f}个百分点"),
    "points_less": ("{:.1f} points less", "低{:.1f}个百分点"),
    "more": ("{} more", "多{}"),
    "less": ("{} less", "少{}"),
    # charts
    "reform": ("reform", "改革"),
    "baseline": ("baseline", "基准"),
    "year": ("year", "年份"),
    "withdrawal_marker": ("withdrawal", "退出"),
    "chart_poverty": ("Poverty and relapse", "贫困与返贫"),
    "poverty_rate": ("poverty rate", "贫困发生率"),
    "relapse_rate": ("relapse rate (ex-poor)", "返贫率（脱贫户）"),
    "share_persons": ("% of persons", "人口占比（%）"),
    "chart_inequality": ("Inequality", "收入不平等"),
    "gini": ("Gini", "基尼系数"),
    "quintile_ratio": ("richest fifth / poorest fifth", "最高/最低五分位收入比"),
    "chart_income": ("Income composition", "收入构成"),
    "wage_share": ("wages", "工资性收入"),
    "business_share": ("farm and business", "经营净收入"),
    "property_share": ("property", "财产净收入"),
    "transfer_share": ("transfers", "转移净收入"),
    "share_income": ("% of income", "占收入（%）"),
    "chart_fiscal": ("Fiscal cost by programme", "分项目财政支出"),
    "million_yuan": ("million yuan", "百万元"),
    "baseline_total": ("baseline total", "基准合计"),
    "chart_flagged": ("Households flagged by monitoring", "监测对象户"),
    "share_households": ("% of households", "农户占比（%）"),
    "fonts_missing": ("(no Chinese font installed: chart labels in English)", "（未安装中文字体：图表使用英文）"),
    # fiscal groups
    "cost_direct": ("direct support", "到户补贴"),
    "cost_industry": ("industry, purchase, e-commerce, consumption", "产业、收购、电商、消费帮扶"),
    "cost_dibao": ("minimum living guarantee", "低保"),
    "cost_health": ("health protection and insurance", "医疗保障"),
    "cost_education": ("education and training", "教育与培训"),
    "cost_jobs": ("welfare posts and microcredit", "公益岗位与小额信贷"),
    "cost_monitoring": ("help after monitoring", "监测帮扶"),
    "cost_pension": ("pension", "养老金"),
}


def t(key: str, lang: str = "en") -> str:
    """The text of ``key`` in ``lang`` ('en' or 'zh')."""
    en, zh = TEXT[key]
    return zh if lang == "zh" and zh else en


def fmt_pct(share: float, digits: int = 1) -> str:
    """A share as a percentage ('3.2%'); 'n/a' when undefined."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "n/a"
    return f"{100 * share:.{digits}f}%"


# -- the text panel ---------------------------------------------------------------------------
KEY_COLUMNS = ("poverty_rate", "relapse_rate", "cumulative_relapse_rate", "new_poverty_rate", "gini",
               "quintile_ratio", "mean_income", "transfer_share", "monitored_share", "fiscal_cost")


def key_figures(model) -> dict:
    """The last complete year of both arms: {'year', 'reform': {...}, 'baseline': {...}, 'flagged': (r, b)}."""
    r, b = model.reform.rows[-1], model.baseline.rows[-1]
    flagged = model.flagged[-1][1:] if model.flagged else (float(model.reform.hh.monitored.mean()),
                                                             float(model.baseline.hh.monitored.mean()))
    return {"year": int(r["year"]), "months": model.month,
            "reform": {k: float(r[k]) for k in KEY_COLUMNS},
            "baseline": {k: float(b[k]) for k in KEY_COLUMNS},
            "flagged": flagged}


def _diff_pp(a: float, b: float, lang: str) -> str:
    d = 100 * (a - b)
    if abs(d) < 0.005:
        return t("same", lang)
    return t("points_more" if d > 0 else "points_less", lang).format(abs(d))


def _money(v: float, lang: str) -> str:
    if lang == "zh":
        return f"{v / 1e4:,.0f}万元"
    return f"{v / 1e6:,.2f} million yuan"


def key_figures_text(model, lang: str = "en") -> str:
    """The current year's key figures in plain words, reform against baseline: a heading line, the
    reform in one line, then one line per topic ('- **Poverty:** ...'; see :func:`text_to_html`)."""
    from .dashboard import describe_controls

    k = key_figures(model)
    r, b, year = k["reform"], k["baseline"], k["year"]
    lines = [t("panel_heading", lang).format(year=year)]
    if model.month % 12:  # paused within a year: the figures are those of the last complete year
        lines[0] += " " + t("run_to", lang).format(year=START_YEAR + model.month // 12, month=model.month % 12)
    if year < START_YEAR:
        lines.append(t("calibration_note", lang))
    lines.append(describe_controls(model.controls, lang))
    lines.append("")
    p = fmt_pct
    lines.append(t("line_poverty", lang).format(r=p(r["poverty_rate"]), b=p(b["poverty_rate"]),
                                                d=_diff_pp(r["poverty_rate"], b["poverty_rate"], lang)))
    lines.append(t("line_relapse" if year >= START_YEAR else "line_relapse_2020", lang).format(r=p(r["relapse_rate"]), b=p(b["relapse_rate"]),
                                                rc=p(r["cumulative_relapse_rate"]), bc=p(b["cumulative_relapse_rate"])))
    lines.append(t("line_new_poverty", lang).format(r=p(r["new_poverty_rate"]), b=p(b["new_poverty_rate"])))
    lines.append(t("line_inequality", lang).format(r=r["gini"], b=b["gini"], rq=r["quintile_ratio"],
                                                   bq=b["quintile_ratio"]))
    lines.append(t("line_income", lang).format(r=r["mean_income"], b=b["mean_income"], rt=p(r["transfer_share"], 0),
                                               bt=p(b["transfer_share"], 0)))
    fr, fb = k["flagged"]
    lines.append(t("line_monitoring", lang).format(r=p(fr), b=p(fb), ry=p(r["monitored_share"]),
                                                   by=p(b["monitored_share"])))
    diff = r["fiscal_cost"] - b["fiscal_cost"]
    change = t("same", lang) if abs(diff) < 0.5 else t("more" if diff > 0 else "less", lang).format(_money(abs(diff), lang))
    lines.append(t("line_fiscal", lang).format(r=_money(r["fiscal_cost"], lang), b=_money(b["fiscal_cost"], lang),
                                               d=change))
    return "\n".join(lines)


def text_to_html(text: str) -> str:
    """The key figures as HTML: '- ' lines become a list, '**x**' bold; everything else is escaped.
    (solara.Markdown would load KaTeX from a CDN, so the page renders its own.)"""
    import html
    import re

    out, items = [], []
    for line in text.splitlines():
        body = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", html.escape(line.removeprefix("- ")))
        if line.startswith("- "):
            items.append(f"<li>{body}</li>")
        elif line.strip():
            out.append(f"<p>{body}</p>")
    if items:
        out.append('<ul class="ruralsim-figures">' + "".join(items) + "</ul>")
    return "".join(out)
