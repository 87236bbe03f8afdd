#!/usr/bin/python3
"""Writes iam-2010-05-08.json: the part of botocore's IAM model (2010-05-08) the emulator serves.

Run once by hand when the operation list changes:
    /usr/bin/python3 tests/emulator/model/make_iam_model.py [BOTOCORE_IAM_SERVICE_2_JSON]
The default source is Debian's python3-botocore. Only data is taken (operations,
shapes, error codes), unchanged apart from dropping documentation; see NOTICE.
"""
import json
import os
import sys

OPERATIONS = [
    "CreateRole", "GetRole", "DeleteRole", "UpdateAssumeRolePolicy", "PutRolePolicy", "GetRolePolicy",
    "ListRolePolicies", "DeleteRolePolicy", "CreatePolicy", "GetPolicy", "GetPolicyVersion", "CreatePolicyVersion",
    "AttachRolePolicy", "DetachRolePolicy", "ListAttachedRolePolicies", "CreateOpenIDConnectProvider",
    "GetOpenIDConnectProvider", "ListOpenIDConnectProviders",
]
SOURCE = "/usr/lib/python3/dist-packages/botocore/data/iam/2010-05-08/service-2.json"
HERE = os.path.dirname(os.path.abspath(__file__))


def strip(obj):
    if isinstance(obj, dict):
        return {k: strip(v) for k, v in obj.items() if k not in ("documentation", "documentationUrl", "examples")}
    if isinstance(obj, list):
        return [strip(v) for v in obj]
    return obj


def main(argv):
    with open(argv[1] if len(argv) > 1 else SOURCE, encoding="utf-8") as f:
        full = json.load(f)
    shapes, todo = {}, []
    ops = {}
    for name in OPERATIONS:
        op = strip(full["operations"][name])
        ops[name] = op
        for key in ("input", "output"):
            if key in op:
                todo.append(op[key]["shape"])
        todo.extend(e["shape"] for e in op.get("errors", []))
    while todo:
        name = todo.pop()
        if name in shapes:
            continue
        shape = strip(full["shapes"][name])
        shapes[name] = shape
        for ref in list(shape.get("members", {}).values()) + [shape.get(k) for k in ("member", "key", "value")]:
            if ref:
                todo.append(ref["shape"])
    out = {"version": full.get("version"), "metadata": full["metadata"], "operations": ops,
           "shapes": dict(sorted(shapes.items()))}
    with open(os.path.join(HERE, "iam-2010-05-08.json"), "w", encoding="utf-8") as f:
        json.dump(out, f, indent=1, sort_keys=False)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv)
