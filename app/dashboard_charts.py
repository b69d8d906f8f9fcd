"""The dashboard's charts: matplotlib figures of the reform (solid) against the baseline (dashed).

Each function takes a :class:`ruralsim.app.dashboard.DashboardModel` and a language ('en' or 'zh') and
returns a :class:`matplotlib.figure.Figure` built on the Agg canvas (no pyplot: the backend of the
server or notebook is never changed). Chinese labels need a CJK font (Debian: fonts-wqy-microhei or
fonts-noto-cjk); without one the charts fall back to English and say so.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from .dashboard_text import t
from ruralsim.model.model import START_YEAR

CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Source Han Sans SC",
             "Source Han Sans CN", "SimHei", "Microsoft YaHei", "PingFang SC", "Heiti SC", "AR PL UMing CN")
#: fiscal cost groups: label key -> programmes (every programme of model/policy.py is in one group)
COST_GROUPS = {
    "cost_direct": ("direct_support",),
    "cost_industry": ("industry_support", "guaranteed_purchase", "ecommerce", "consumption_support", "leader_training"),
    "cost_dibao": ("dibao",),
    "cost_health": ("health_protection", "medical_insurance"),
    "cost_education": ("education_support", "vocational_training"),
    "cost_jobs": ("welfare_posts", "microcredit"),
    "cost_monitoring": ("monitoring_support",),
    "cost_pension": ("pension",),
}
REFORM_COLOUR, BASELINE_COLOUR = "#c92a2a", "#495057"
SIZE = (6.4, 3.6)


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The family name of an installed font with Chinese glyphs, or None.

    Matplotlib's font list is cached on disk, so a font installed after the cache was written is
    looked for among the system's font files too and registered."""
    def known():
        names = {f.name for f in font_manager.fontManager.ttflist}
        return next((name for name in CJK_FONTS if name in names), None)

    if known() is None:
        hints = ("wqy", "noto", "cjk", "sourcehan", "source-han", "simhei", "yahei", "pingfang", "uming", "droidsansfallback")
        for path in font_manager.findSystemFonts():
            if any(h in path.lower().replace("_", "") for h in hints):
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    continue
    return known()


def chart_language(lang: str) -> str:
    """'zh' only when a Chinese font is installed."""
    return "zh" if lang == "zh" and cjk_font() else "en"


def _figure(title_key: str, lang: str, ncols: int = 1):
    fig = Figure(figsize=SIZE, dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(1, ncols, squeeze=False)[0]
    # the usual Chinese fonts have no bold face (matplotlib would warn and use the regular one)
    fig.suptitle(t(title_key, lang), fontsize=12, fontweight="normal" if lang == "zh" else "bold")
    return fig, axes


def _fonts(fig, lang: str) -> None:
    """Give every text of the figure the Chinese font (matplotlib has no per-figure font default)."""
    if lang != "zh":
        return
    family = [cjk_font(), "DejaVu Sans"]
    for text in fig.findobj(lambda o: hasattr(o, "set_fontfamily") and hasattr(o, "get_text")):
        text.set_fontfamily(family)


def _arms(model, column: str):
    r, b = model.reform.rows, model.baseline.rows
    years = np.array([row["year"] for row in r], dtype=float)
    return years, np.array([row[column] for row in r], dtype=float), np.array([row[column] for row in b], dtype=float)


def _withdrawal(ax, model, lang: str) -> None:
    c = model.controls
    if c.pace == "none":
        return
    ax.axvline(c.withdrawal_year - 0.5, color="0.6", lw=1, ls=":")
    ax.text(c.withdrawal_year - 0.45, 0.02, t("withdrawal_marker", lang), transform=ax.get_xaxis_transform(),
            fontsize=7, color="0.3", va="bottom", zorder=5)


def _year_axis(ax, model) -> None:
    from .dashboard import END_YEAR

    c = model.controls
    last = max(model.reform.rows[-1]["year"], 2025, c.withdrawal_year if c.pace != "none" else 0)
    ax.set_xlim(2019.6, min(last, END_YEAR) + 0.4)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=8))
    ax.grid(True, alpha=0.3)
    ax.tick_params(labelsize=8)


def _pct(ax) -> None:
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}%"))


def _pair(ax, years, r, b, label: str, colour: str, lang: str, marker="o") -> None:
    ax.plot(years, r, "-", color=colour, marker=marker, ms=3, lw=1.8, label=f"{label}: {t('reform', lang)}")
    ax.plot(years, b, "--", color=colour, lw=1.2, alpha=0.7, label=f"{label}: {t('baseline', lang)}")


def poverty_chart(model, lang: str = "en") -> Figure:
    """Poverty rate and relapse rate (% of persons), reform and baseline."""
    lang = chart_language(lang)
    fig, (ax,) = _figure("chart_poverty", lang)
    for col, colour, marker in (("poverty_rate", "#1c7ed6", "o"), ("relapse_rate", REFORM_COLOUR, "s")):
        years, r, b = _arms(model, col)
        _pair(ax, years, 100 * r, 100 * b, t(col, lang), colour, lang, marker)
    ax.set_ylabel(t("share_persons", lang), fontsize=8)
    ax.set_ylim(bottom=0)
    _pct(ax)
    _year_axis(ax, model)
    _withdrawal(ax, model, lang)
    fig.legend(fontsize=7, loc="outside lower center", ncols=2)
    _fonts(fig, lang)
    return fig


def inequality_chart(model, lang: str = "en") -> Figure:
    """Gini and quintile ratio, two panels."""
    lang = chart_language(lang)
    fig, (a1, a2) = _figure("chart_inequality", lang, ncols=2)
    for ax, col, colour in ((a1, "gini", "#5f3dc4"), (a2, "quintile_ratio", "#e8590c")):
        years, r, b = _arms(model, col)
        _pair(ax, years, r, b, "", colour, lang)
        ax.set_title(t(col, lang), fontsize=9)
        _year_axis(ax, model)
        _withdrawal(ax, model, lang)
        ax.legend([t("reform", lang), t("baseline", lang)], fontsize=7, loc="best", framealpha=0.6)
    _fonts(fig, lang)
    return fig


def income_chart(model, lang: str = "en") -> Figure:
    """Income shares by source (%), reform solid, baseline dashed."""
    lang = chart_language(lang)
    fig, (ax,) = _figure("chart_income", lang)
    colours = {"wage_share": "#1c7ed6", "business_share": "#2b8a3e", "property_share": "#f08c00",
               "transfer_share": "#c92a2a"}
    for col, colour in colours.items():
        years, r, b = _arms(model, col)
        ax.plot(years, 100 * r, "-", color=colour, marker="o", ms=3, lw=1.8, label=t(col, lang))
        ax.plot(years, 100 * b, "--", color=colour, lw=1.2, alpha=0.7)
    ax.plot([], [], "k-", label=t("reform", lang))
    ax.plot([], [], "k--", alpha=0.7, label=t("baseline", lang))
    ax.set_ylabel(t("share_income", lang), fontsize=8)
    ax.set_ylim(bottom=0)
    _pct(ax)
    _year_axis(ax, model)
    _withdrawal(ax, model, lang)
    fig.legend(fontsize=7, loc="outside lower center", ncols=6)
    _fonts(fig, lang)
    return fig


def fiscal_chart(model, lang: str = "en") -> Figure:
    """Reform spending by programme group (stacked, million yuan) and the baseline's total (dashed)."""
    lang = chart_language(lang)
    fig, (ax,) = _figure("chart_fiscal", lang)
    rows = model.reform.rows
    years = np.array([row["year"] for row in rows], dtype=float)
    stacks = [np.array([sum(row[f"cost_{p}"] for p in progs) for row in rows]) / 1e6 for progs in COST_GROUPS.values()]
    colours = ["#c92a2a", "#2b8a3e", "#1c7ed6", "#e64980", "#7048e8", "#f08c00", "#0c8599", "#868e96"]
    ax.stackplot(years, *stacks, labels=[t(k, lang) for k in COST_GROUPS], colors=colours, alpha=0.85)
    base = _arms(model, "fiscal_cost")[2] / 1e6
    ax.plot(years, base, "k--", marker="o", ms=3, lw=1.5, label=t("baseline_total", lang))
    ax.set_ylabel(t("million_yuan", lang), fontsize=8)
    ax.set_ylim(bottom=0)
    _year_axis(ax, model)
    _withdrawal(ax, model, lang)
    fig.legend(fontsize=6.5, loc="outside right center", ncols=1)
    _fonts(fig, lang)
    return fig


def flagged_chart(model, lang: str = "en") -> Figure:
    """Households flagged by monitoring at the end of each month (% of households)."""
    lang = chart_language(lang)
    fig, (ax,) = _figure("chart_flagged", lang)
    if model.flagged:
        months, r, b = (np.array(v, dtype=float) for v in zip(*model.flagged))
        x = START_YEAR + (months - 1 - 5.5) / 12  # the months of year Y centred on Y, like the annual charts
        ax.plot(x, 100 * r, "-", color=REFORM_COLOUR, lw=1.8, label=t("reform", lang))
        ax.plot(x, 100 * b, "--", color=BASELINE_COLOUR, lw=1.2, label=t("baseline", lang))
    ax.set_ylabel(t("share_households", lang), fontsize=8)
    ax.set_ylim(bottom=0)
    _pct(ax)
    _year_axis(ax, model)
    right = ax.get_xlim()[1]
    if model.flagged:
        right = max(right, START_YEAR + (model.flagged[-1][0] - 1 - 5.5) / 12 + 0.1)
    ax.set_xlim(START_YEAR - 0.5, right)
    _withdrawal(ax, model, lang)
    if model.flagged:
        ax.legend(fontsize=7, loc="upper left")
    _fonts(fig, lang)
    return fig


CHARTS = (poverty_chart, inequality_chart, income_chart, fiscal_chart, flagged_chart)
