#!/usr/bin/env python3
"""tests/plan_schema.py - checks plans against schemas/plan.schema.json.

    plan_schema.py SCHEMA PLAN.json...

Every plan must validate, and mutated copies of the first one (a field
missing, an unknown field, a wrong phase, a checkpoint with SQL, a step not
online without its reason) must not, so that the schema stays closed.
Prints "N passed, M failed"; exits 1 on a failure.
"""
import copy
import json
import sys

import jsonschema


def main():
    schema = json.load(open(sys.argv[1], encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    passed = failed = 0
    plans = []
    for path in sys.argv[2:]:
        doc = json.load(open(path, encoding="utf-8"))
        plans.append(doc)
        errors = list(validator.iter_errors(doc))
        if errors:
            failed += 1
            for e in errors[:3]:
                print(f"FAIL {path}: {list(e.path)}: {e.message}")
        else:
            passed += 1

    def mutations(doc):
        step = next(i for i, s in enumerate(doc["steps"]) if s["kind"] == "sql")
        yield "no plan_version", lambda d: d.pop("plan_version")
        yield "unknown top-level field", lambda d: d.update(extra=1)
        yield "step without transaction", lambda d: d["steps"][step].pop("transaction")
        yield "unknown step field", lambda d: d["steps"][step].update(extra=1)
        yield "wrong phase", lambda d: d["steps"][step].update(phase="migrate")
        yield "checkpoint with SQL", lambda d: d["steps"][step].update(kind="checkpoint", deploy="x")
        yield "not online without a reason", lambda d: d["steps"][step].update(online=False)
        yield "negative lock_timeout", lambda d: d["steps"][step].update(lock_timeout=-1)
        yield "retry on another SQLSTATE", lambda d: d["steps"][step].update(
            retry={"sqlstate": "40001", "attempts": 1, "delay_ms": 0, "max_delay_ms": 0})

    base = next((p for p in plans if any(s["kind"] == "sql" for s in p["steps"])), None)
    if base is not None:
        for what, mutate in mutations(base):
            doc = copy.deepcopy(base)
            mutate(doc)
            if validator.is_valid(doc):
                failed += 1
                print(f"FAIL the schema accepts a plan with {what}")
            else:
                passed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
