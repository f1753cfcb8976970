"""Charts of the reports as PNG images (Word and PDF alike), drawn with matplotlib."""
from __future__ import annotations

import io

CJK_FONTS = ["Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Serif CJK SC", "DejaVu Sans"]


def trend_png(trend: dict, *, title: str) -> bytes:
    import matplotlib

    matplotlib.use("Agg")  # no display on servers
    from matplotlib import pyplot
    from matplotlib.ticker import MaxNLocator

    pyplot.rcParams["font.sans-serif"] = CJK_FONTS
    pyplot.rcParams["axes.unicode_minus"] = False
    figure, bars = pyplot.subplots(figsize=(7, 3), dpi=120)
    months = [m[5:] + "月" for m in trend["months"]]
    bars.bar(months, trend["energised"], color="#7fb069", label="送电户数")
    bars.set_ylabel("户", rotation=0, labelpad=12)
    bars.yaxis.set_major_locator(MaxNLocator(integer=True))  # households are counted, never halved
    share = bars.twinx()
    share.plot(months, [v if v is not None else float("nan") for v in trend["within_share"]], color="#d08c2c",
               marker="o", label="电网环节按时率(%)")
    share.set_ylim(0, 100)
    share.set_ylabel("%")
    bars.set_title(title)
    # Below the axes, so it never hides the month labels or the bars.
    figure.legend(loc="lower center", ncol=2, fontsize=8, frameon=False)
    figure.tight_layout(rect=(0, 0.08, 1, 1))
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    pyplot.close(figure)
    return buffer.getvalue()
