"""orjson as Flask's JSON provider: every response (flask-smorest's included, through jsonify)
and every request body goes through it.

It writes what Flask's default provider writes for our payloads (compact, keys in schema
order, UTF-8 rather than \\u escapes), several times faster; anything orjson does not know
(Decimal, objects with __html__) falls back to Flask's own conversions.
"""

import orjson
from flask.json.provider import DefaultJSONProvider

OPTIONS = orjson.OPT_NON_STR_KEYS


class OrjsonProvider(DefaultJSONProvider):
    def dumps(self, obj, **kwargs) -> str:
        if kwargs:  # formatting asked for (flask-smorest's OpenAPI document: indent=2): Flask's own
            return super().dumps(obj, **kwargs)
        return orjson.dumps(obj, default=self.default, option=OPTIONS).decode()

    def loads(self, s: str | bytes, **kwargs):
        return orjson.loads(s)

    def response(self, *args, **kwargs):
        # Flask's own would pass `separators` to dumps (Flask's slow path above) and decode to
        # str; the arguments are taken as Flask documents them.
        if args and kwargs:
            raise TypeError("app.json.response() takes either args or kwargs, not both")
        payload = args[0] if len(args) == 1 else args or kwargs or None
        # `_app`: the app a JSONProvider keeps for its subclasses, as Flask documents it.
        return self._app.response_class(orjson.dumps(payload, default=self.default, option=OPTIONS),
                                        mimetype=self.mimetype)
