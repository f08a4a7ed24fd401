"""Reading /metrics the way Prometheus does: the text format, parsed by prometheus-client."""

from prometheus_client.parser import text_string_to_metric_families


class Scrape:
    """The samples of one scrape, looked up by name and labels (0 when absent)."""

    def __init__(self, text: str):
        self.samples = {
            (sample.name, frozenset(sample.labels.items())): sample.value
            for family in text_string_to_metric_families(text)
            for sample in family.samples
        }

    def value(self, name: str, **labels) -> float:
        return self.samples.get((name, frozenset(labels.items())), 0.0)


def scrape(client, **request_options) -> Scrape:
    response = client.get("/metrics", **request_options)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.content_type.startswith("text/plain")
    return Scrape(response.get_data(as_text=True))
