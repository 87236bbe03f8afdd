#!/usr/bin/python3
"""Generates api/operations_table.c (the one operations table, DESIGN.md
"operations") from the botocore model.

Usage: scripts/gen-operations.py [MODEL] > api/operations_table.c
MODEL defaults to tests/emulator/model/service-2.json. Standard library only.

The model has no notion of "mutates", "pure read", "repeatable" or "re-read":
those come from the lists below (DESIGN.md "read-only guard" names the pure
reads; issue 11 the repeatable writes). Every other fact (names, unsigned,
members, required, constraints) comes from the model.
"""
import json
import os
import sys

# DESIGN.md "read-only guard": the only operations a read-only client sends.
PURE_READS = {
    "DescribeIdentityPool", "DescribeIdentity", "ListIdentityPools", "ListIdentities",
    "GetIdentityPoolRoles", "ListTagsForResource", "LookupDeveloperIdentity",
    "GetPrincipalTagAttributeMap",
}
# Neither pure reads nor state changes: they issue credentials or tokens for an
# existing identity. Everything else that is not a pure read mutates (GetId and
# GetOpenIdTokenForDeveloperIdentity may create an identity).
ISSUE_ONLY = {"GetCredentialsForIdentity", "GetOpenIdToken"}

# Issue 11: whether a call may be sent again once an earlier attempt's outcome
# is unknown (sent, no complete answer). Reads and the credential-issuing
# calls always may. Every other operation must be in exactly one of the two
# lists below, with the reason, so a new operation forces a decision.
REPEATABLE = {
    "UpdateIdentityPool": "replaces the whole pool with what is sent: twice is once",
    "SetIdentityPoolRoles": "replaces the roles and every role mapping: twice is once",
    "SetPrincipalTagAttributeMap": "replaces the provider's whole map: twice is once",
    "DeleteIdentities": "deleting an identity already deleted changes nothing",
    "DeleteIdentityPool": "deleting a pool already deleted changes nothing (the repeat's "
                          "ResourceNotFoundException leaves the outcome unknown)",
}
NOT_REPEATABLE = {
    "CreateIdentityPool": "a repeat creates a second pool",
    "GetId": "without Logins every call creates a new unauthenticated identity",
    "GetOpenIdTokenForDeveloperIdentity": "may create an identity or link a login to one",
    "MergeDeveloperIdentities": "a repeat merges again whatever was linked in between",
    "UnlinkDeveloperIdentity": "a repeat unlinks what was linked again in between",
    "UnlinkIdentity": "a repeat unlinks what was linked again in between",
    "TagResource": "a repeat overwrites a tag value changed in between",
    "UntagResource": "a repeat removes a tag added again in between",
}
# Writes that replace a whole resource, and the pure read that shows it: the
# console re-reads with it before sending (lost updates) and after an unknown
# outcome (reconcile). The read's input is the write's members of the same
# names (checked below: the read's required members are all in the write).
REREAD = {
    "UpdateIdentityPool": "DescribeIdentityPool",
    "SetIdentityPoolRoles": "GetIdentityPoolRoles",
    "SetPrincipalTagAttributeMap": "GetPrincipalTagAttributeMap",
}

TYPES = {
    "structure": "API_SHAPE_STRUCTURE", "list": "API_SHAPE_LIST", "map": "API_SHAPE_MAP",
    "string": "API_SHAPE_STRING", "boolean": "API_SHAPE_BOOLEAN",
    "integer": "API_SHAPE_INTEGER", "long": "API_SHAPE_LONG",
    "timestamp": "API_SHAPE_TIMESTAMP",
}


def c_string(s):
    out = '"'
    for ch in s.encode("utf-8"):
        c = chr(ch)
        if c in '\\"':
            out += "\\" + c
        elif 32 <= ch < 127:
            out += c
        else:
            out += "\\%03o" % ch
    return out + '"'


def is_unsigned(op):
    return op.get("authtype") == "none" or op.get("auth") == ["smithy.api#noAuth"]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        here, "..", "tests", "emulator", "model", "service-2.json")
    with open(path, encoding="utf-8") as f:
        model = json.load(f)
    shapes = model["shapes"]
    ops = model["operations"]

    # Shapes reachable from inputs and outputs (errors are parsed generically).
    order, index = [], {}

    def visit(name):
        if name in index:
            return
        index[name] = len(order)
        order.append(name)
        s = shapes[name]
        if s["type"] == "structure":
            for m in s["members"].values():
                visit(m["shape"])
        elif s["type"] == "list":
            visit(s["member"]["shape"])
        elif s["type"] == "map":
            visit(s["key"]["shape"])
            visit(s["value"]["shape"])
        elif s["type"] not in TYPES:
            sys.exit("gen-operations: unsupported shape type %s (%s)" % (s["type"], name))

    for name in sorted(ops):
        for k in ("input", "output"):
            if k in ops[name]:
                visit(ops[name][k]["shape"])

    def depth(name, seen=()):
        s = shapes[name]
        if name in seen:
            sys.exit("gen-operations: recursive shape %s" % name)
        if s["type"] == "structure":
            return 1 + max([depth(m["shape"], seen + (name,)) for m in s["members"].values()] + [0])
        if s["type"] == "list":
            return 1 + depth(s["member"]["shape"], seen + (name,))
        if s["type"] == "map":
            return 1 + depth(s["value"]["shape"], seen + (name,))
        return 0

    w = sys.stdout.write
    w("/* api/operations_table.c — GENERATED by scripts/gen-operations.py from\n"
      " * tests/emulator/model/service-2.json (botocore, Apache-2.0). Do not edit. */\n")
    w('#include "api/operations.h"\n\n')
    w("/* clang-format off */\n")
    for i, name in enumerate(order):
        s = shapes[name]
        if "enum" in s:
            w("static const char *const enum_%d[] = {%s};\n" % (
                i, ", ".join(c_string(v) for v in s["enum"])))
        if s["type"] == "structure" and s["members"]:
            req = set(s.get("required", []))
            w("static const struct api_member members_%d[] = {\n" % i)
            for mname, m in s["members"].items():
                w("    {%s, %d, %s},\n" % (c_string(mname), index[m["shape"]],
                                          "true" if mname in req else "false"))
            w("};\n")
    w("\nconst struct api_shape api_shapes[] = {\n")
    for i, name in enumerate(order):
        s = shapes[name]
        fields = [
            ".name = %s" % c_string(name), ".type = %s" % TYPES[s["type"]],
        ]
        if "min" in s:
            fields += [".has_min = true", ".min = %dLL" % s["min"]]
        if "max" in s:
            fields += [".has_max = true", ".max = %dLL" % s["max"]]
        if "pattern" in s:
            fields.append(".pattern = %s" % c_string(s["pattern"]))
        if "enum" in s:
            fields += [".enum_values = enum_%d" % i, ".n_enum = %d" % len(s["enum"])]
        if s["type"] == "structure" and s["members"]:
            fields += [".members = members_%d" % i, ".n_members = %d" % len(s["members"])]
        fields.append(".member = %d" % (index[s["member"]["shape"]] if s["type"] == "list" else -1))
        fields.append(".key = %d" % (index[s["key"]["shape"]] if s["type"] == "map" else -1))
        fields.append(".value = %d" % (index[s["value"]["shape"]] if s["type"] == "map" else -1))
        if s.get("sensitive"):
            fields.append(".sensitive = true")
        w("    [%d] = {%s},\n" % (i, ", ".join(fields)))
    w("};\nconst size_t api_n_shapes = %d;\n\n" % len(order))

    for name in sorted(ops):
        read = name in PURE_READS or name in ISSUE_ONLY
        if read and (name in REPEATABLE or name in NOT_REPEATABLE):
            sys.exit("gen-operations: %s is a read: never list it as a write" % name)
        if not read and (name in REPEATABLE) == (name in NOT_REPEATABLE):
            sys.exit("gen-operations: %s must be in exactly one of REPEATABLE, NOT_REPEATABLE"
                     % name)
    for lst in (REPEATABLE, NOT_REPEATABLE, REREAD):
        for name in lst:
            if name not in ops:
                sys.exit("gen-operations: %s is not in the model" % name)
    for write, read in REREAD.items():
        if read not in PURE_READS:
            sys.exit("gen-operations: re-read %s of %s is not a pure read" % (read, write))
        wm = shapes[ops[write]["input"]["shape"]]["members"]
        need = shapes[ops[read]["input"]["shape"]].get("required", [])
        if any(m not in wm for m in need):
            sys.exit("gen-operations: %s lacks a required member of %s" % (write, read))

    w("const struct api_operation api_operations[] = {\n")
    for name in sorted(ops):
        op = ops[name]
        inp = index[op["input"]["shape"]] if "input" in op else -1
        out = index[op["output"]["shape"]] if "output" in op else -1
        read = name in PURE_READS
        mutates = not read and name not in ISSUE_ONLY
        repeatable = name not in NOT_REPEATABLE
        d = max(1, depth(op["output"]["shape"]) if "output" in op else 0)
        w("    {%s, %d, %d, %s, %s, %s, %d, %s, %s},\n" % (
            c_string(name), inp, out, "true" if mutates else "false",
            "true" if is_unsigned(op) else "false", "true" if read else "false", d,
            "true" if repeatable else "false",
            c_string(REREAD[name]) if name in REREAD else "NULL"))
    w("};\nconst size_t api_n_operations = %d;\n" % len(ops))
    w("/* clang-format on */\n")
    missing = PURE_READS - set(ops)
    if missing:
        sys.exit("gen-operations: pure reads not in the model: %s" % ", ".join(sorted(missing)))


if __name__ == "__main__":
    main()
