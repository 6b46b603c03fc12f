"""Notebook outputs that read well live and static: a chart or an explorer with a picture of itself.

    from toolkit.views import notebook
    notebook.enable()                  # once, at the top of a notebook

After `enable()`, a chart shown in a cell is one output holding three renderings: Altair's live
`JupyterChart` widget (offline: Vega bundled in by vl-convert, no internet needed), a PNG drawn
offline by vl-convert and the Vega-Lite spec under its mimetype. Each front end shows the best
it can: JupyterLab with a kernel the live chart; the same notebook opened with none (JupyterLab
before "Run All", GitHub, nbviewer, VS Code, `jupyter nbconvert --to html`) the picture. The
explorers of `toolkit.views.widgets` do the same with a static, escaped HTML copy of their
view; they need no `enable()`.
"""
from __future__ import annotations

import base64
import html
from typing import Any

import altair as alt
from altair.utils.mimebundle import spec_to_mimebundle

from . import charts  # noqa: F401  (registers and enables the toolkit's theme)

RENDERER = "news_toolkit"
SCALE = 2  # PNG pixels per CSS pixel: sharp on high-density screens, drawn at the chart's own size


def png(chart: alt.TopLevelMixin | dict, *, scale: int = SCALE) -> bytes:
    """The chart (or its Vega-Lite spec) as PNG bytes, rendered offline by vl-convert."""
    import vl_convert
    from altair.utils._importers import vl_version_for_vl_convert

    spec = chart if isinstance(chart, dict) else chart.to_dict()
    return vl_convert.vegalite_to_png(spec, vl_version=vl_version_for_vl_convert(), scale=scale)


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height in pixels, read from a PNG's header."""
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def img_tag(chart: alt.TopLevelMixin | dict, *, alt_text: str = "") -> str:
    """An `<img>` holding the chart as an inline PNG, at the chart's own size (for static HTML)."""
    data = png(chart)
    width = png_size(data)[0] // SCALE
    return (f'<img class="ntk-chart" alt="{html.escape(alt_text, quote=True)}" width="{width}" '
            f'src="data:image/png;base64,{base64.b64encode(data).decode("ascii")}">')


def static_bundle(spec: dict) -> tuple[dict[str, Any], dict[str, Any]]:
    """Mimebundle entries that need no kernel and no script: the PNG and the Vega-Lite spec."""
    data = png(spec)
    width, height = png_size(data)
    bundle = {"image/png": base64.b64encode(data).decode("ascii"),
              **spec_to_mimebundle(spec, format="vega-lite", mode="vega-lite", vegalite_version=alt.VEGALITE_VERSION),
              "text/plain": f"<chart: {_title(spec) or 'untitled'}>"}
    return bundle, {"image/png": {"width": width // SCALE, "height": height // SCALE}}


def _title(spec: dict) -> str:
    """The chart's title as one line (a layered chart keeps it on a layer)."""
    for part in (spec, *spec.get("layer", ())):
        title = part.get("title")
        text = title.get("text") if isinstance(title, dict) else title
        if text:
            return " ".join(text) if isinstance(text, list) else str(text)
    return ""


def live(chart: alt.TopLevelMixin, **embed_options):
    """The chart as Altair's live `JupyterChart` widget alone, Vega bundled in (no internet needed)."""
    from altair.jupyter import JupyterChart

    JupyterChart.enable_offline(offline=True)
    return JupyterChart(chart=chart, embed_options=embed_options or None)


def render(spec: dict, **options) -> tuple[dict[str, Any], dict[str, Any]]:
    """The toolkit's Altair renderer: the live JupyterChart beside the static PNG and spec."""
    data, metadata = live(alt.Chart.from_dict(spec), **(options.get("embed_options") or {}))._repr_mimebundle_()
    static, static_metadata = static_bundle(spec)
    return {**static, **data, "text/plain": static["text/plain"]}, {**metadata, **static_metadata}


alt.renderers.register(RENDERER, render)


def enable() -> None:
    """Show every chart of this notebook live, with a static picture and its spec beside it."""
    alt.renderers.enable(RENDERER)


def enabled() -> bool:
    """Whether `enable()` is in force."""
    return alt.renderers.active == RENDERER
