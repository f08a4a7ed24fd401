"""The bench's output: a table on stdout, a JSON file and a PNG chart (matplotlib)."""

import json
from pathlib import Path

from bench.scenarios import BY_NAME

TARGETS = ("service", "bare", "one_query")


def ratios(figures: dict) -> dict:
    """service rps / each ceiling's rps, where the ceiling ran; for a revalidating scenario,
    its 304s' rps / the same requests' full 200s' ("full", same rounds)."""
    service = figures["service"]["rps"]
    return {f"vs_{other}": round(service / figures[other]["rps"], 3)
            for other in ("bare", "one_query", "full") if figures.get(other, {}).get("rps")}


def verdicts(name: str, figures: dict) -> list[str]:
    """The targets this scenario misses (empty when it meets all of them)."""
    service, missed = figures["service"], []
    if service["non_2xx"] or service["errors"]:
        missed.append("errors")
    if BY_NAME[name].connections:  # an overload scenario: reported, not targeted
        return missed
    if service["p99_ms"] > 3 * service["p50_ms"]:
        missed.append("p99>3xp50")
    target = BY_NAME[name].target
    if target and figures.get("one_query") and service["rps"] < target * figures["one_query"]["rps"]:
        missed.append(f"<{target:.0%} of one-query")
    return missed


def table(results: dict) -> str:
    header = (f"{'scenario':<19}{'rps':>8}{'p50 ms':>8}{'p99 ms':>8}{'non2xx':>7}{'errors':>7}"
              f"{'bare':>8}{'1-query':>8}{'/bare':>7}{'/1-query':>9}  verdict")
    lines = [header, "-" * len(header)]
    for name, figures in results.items():
        service, ratio = figures["service"], ratios(figures)
        bare, one_query = figures.get("bare", {}).get("rps"), figures.get("one_query", {}).get("rps")
        missed = verdicts(name, figures)
        lines.append(
            f"{name:<19}{service['rps']:>8.0f}{service['p50_ms']:>8.1f}{service['p99_ms']:>8.1f}"
            f"{service['non_2xx']:>7}{service['errors']:>7}{_num(bare):>8}{_num(one_query):>8}"
            f"{_pct(ratio.get('vs_bare')):>7}{_pct(ratio.get('vs_one_query')):>9}  {'; '.join(missed) or _ok(name)}")
    for name, figures in results.items():
        if "full" in figures:
            full = figures["full"]
            lines.append(f"{name}: the same requests without If-None-Match (200s), same rounds: {full['rps']:.0f} rps,"
                         f" p50 {full['p50_ms']:.1f} ms, p99 {full['p99_ms']:.1f} ms; the 304s"
                         f" {figures['service']['rps'] / full['rps']:.1f}x the rps")
    return "\n".join(lines)


def deep_page_table(deep_pages: dict) -> str:
    """The deep-page rows of bench-growth, each with its share of its own first page: by rps
    under wrk, and by the time of one request alone (first page's ms / this page's ms)."""
    header = (f"{'deep page':<24}{'articles':>9}{'rps':>8}{'p50 ms':>8}{'p99 ms':>8}{'non2xx':>7}{'errors':>7}"
              f"{'share':>7}{'alone ms':>10}{'share':>7}")
    lines = [header, "-" * len(header)]
    for name, figures in deep_pages.items():
        service = figures["service"]
        served = service["rps"] > 0  # the median round completed no request: it has no latency to show
        lines.append(f"{name:<24}{figures['articles_on_page']:>9}{service['rps']:>8.0f}"
                     f"{_num(service['p50_ms'] if served else None, '.1f'):>8}"
                     f"{_num(service['p99_ms'] if served else None, '.1f'):>8}{service['non_2xx']:>7}"
                     f"{service['errors']:>7}{figures['share_of_first_page']:>7.0%}{figures['alone_ms']:>10.1f}"
                     f"{figures['share_alone']:>7.0%}")
    return "\n".join(lines)


def _ok(name: str) -> str:
    connections = BY_NAME[name].connections
    return f"reported ({connections} connections)" if connections else "ok"


def _num(value, spec: str = ".0f") -> str:
    return "-" if value is None else f"{value:{spec}}"


def _pct(value) -> str:
    return "-" if value is None else f"{value:.0%}"


def write_json(path: Path, report: dict) -> None:
    for name, figures in report["results"].items():
        figures["ratios"] = ratios(figures)
        figures["missed_targets"] = verdicts(name, figures)
    path.write_text(json.dumps(report, indent=2))


def draw_chart(path: Path, results: dict, title: str) -> None:
    """Grouped bars of rps and p99 per scenario: the service beside the two ceilings."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(results)
    colours = {"service": "#2a7ab0", "bare": "#bbbbbb", "one_query": "#f0a030"}
    labels = {"service": "service", "bare": "bare ceiling", "one_query": "one-query ceiling"}
    figure, (rps_axis, p99_axis) = plt.subplots(2, 1, figsize=(10, 6.5), sharex=True)
    width = 0.27
    for offset, target in zip((-width, 0, width), TARGETS):
        xs = [index + offset for index, name in enumerate(names) if target in results[name]]
        rows = [results[name][target] for name in names if target in results[name]]
        rps_axis.bar(xs, [row["rps"] for row in rows], width, label=labels[target], color=colours[target])
        p99_axis.bar(xs, [row["p99_ms"] for row in rows], width, color=colours[target])
    rps_axis.set_ylabel("requests / s")
    p99_axis.set_ylabel("p99 latency, ms")
    rps_axis.set_title(title, fontsize=10)
    rps_axis.legend(fontsize=8)
    p99_axis.set_xticks(range(len(names)), names, rotation=30, ha="right", fontsize=8)
    for axis in (rps_axis, p99_axis):
        axis.grid(axis="y", alpha=0.3)
    figure.tight_layout()
    figure.savefig(path, dpi=72)
    plt.close(figure)
