"""Child-process half of test_curated: resolve curated targets in one Keras mode, report as JSON.

    python curated_probe.py < request.json

The request is ``{"entries": {key: {"target": ..., "import": ..., "kind": ...}}, "absent": [names]}``.
The answer has, per entry key, whether the target resolved, whether the import statement ran and
named the same object, and for ``module`` entries the target's public members; and, per absent
name, whether TensorFlow really lacks it (as ``tf.X``, ``tf.compat.v1.X`` and ``tensorflow.X``).
The caller chooses the Keras mode through ``TF_USE_LEGACY_KERAS`` in the child's environment.
"""

import importlib
import json
import sys


def resolve(path: str):
    """Import the longest importable prefix of a dotted path, then walk attributes."""
    parts = path.split(".")
    obj = importlib.import_module(parts[0])
    for index, part in enumerate(parts[1:], start=1):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            obj = importlib.import_module(".".join(parts[: index + 1]))
    return obj


def probe(entries: dict) -> dict:
    from kernel_helpers.api.curated import ContribEntry, public_members

    # Members first, before other targets import submodules that would show up in dir().
    members = {}
    for key, raw in entries.items():
        if raw["kind"] == "module" and raw.get("target"):
            try:
                members[key] = public_members(resolve(raw["target"]))
            except Exception as error:  # reported per entry
                members[key] = f"{type(error).__name__}: {error}"
    answer = {}
    for key, raw in entries.items():
        result = {"members": members.get(key)}
        target = raw.get("target")
        if target:
            try:
                obj = resolve(target)
                result["target"] = "ok"
            except Exception as error:
                result["target"] = f"{type(error).__name__}: {error}"
                obj = None
            statement = raw.get("import")
            if statement:
                entry = ContribEntry(key=key, kind=raw["kind"], target=target, import_statement=statement, note="")
                namespace: dict = {}
                try:
                    exec(statement, namespace)
                    named = eval(entry.reference(), namespace)
                    result["import"] = "ok" if obj is not None and named is obj else "names another object"
                except Exception as error:
                    result["import"] = f"{type(error).__name__}: {error}"
        answer[key] = result
    return answer


def really_absent(name: str) -> bool:
    import tensorflow as tf

    for root in (tf, tf.compat.v1):
        try:
            obj = root
            for part in name.split("."):
                obj = getattr(obj, part)
            return False
        except Exception:
            pass
    try:
        importlib.import_module(f"tensorflow.{name}")
        return False
    except Exception:
        return True


if __name__ == "__main__":
    request = json.load(sys.stdin)
    answer = {
        "entries": probe(request.get("entries", {})),
        "absent": {name: really_absent(name) for name in request.get("absent", [])},
    }
    json.dump(answer, sys.stdout, sort_keys=True)
