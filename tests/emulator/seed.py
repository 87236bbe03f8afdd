"""Deterministic data sets: `none` and `demo` (README.md lists what demo holds).

Built as plain dicts in one pass (no per-identity objects beyond a small dict),
so 100,000 identities take well under the 10 s budget.
"""
import json
import random

import iam

ACCOUNT = "123456789012"
BASE_TIME = 1704067200.0  # 2024-01-01T00:00:00Z
USER_POOL = "cognito-idp.{region}.amazonaws.com/{region}_DemoPool1"
USER_POOL_CLIENT = "demoappclient1"
PARTNER_CLIENT = "partner-portal-client"

# Values that try to drive a terminal: the console must show them escaped.
ESCAPES = [
    "\x1b[2J\x1b[31mcleared-and-red",
    "ok\rOVERWRITTEN",
    "\u202egnp.exe",
    "\u2066isolated\u2069 text",
    "\x9b31mC1-CSI",
    "bell\x07",
    "\x1b]0;pwned-title\x07",
    "tab\there\nnewline",
    "\u200fRLM\u061cALM",
    "del\x7fchar",
]


def _hexid(rng):
    h = "%032x" % rng.getrandbits(128)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:32]}"


def _role(name):
    return f"arn:aws:iam::{ACCOUNT}:role/{name}"


def _pool(rng, region, name, config, created):
    pid = f"{region}:{_hexid(rng)}"
    cfg = {"IdentityPoolName": name, "AllowUnauthenticatedIdentities": False}
    cfg.update(config)
    return {"IdentityPoolId": pid, "config": cfg, "tags": {}, "roles": {}, "role_mappings": {},
            "principal_tags": {}, "identities": {}, "created": created}


def _identities(rng, region, pool, n, shape):
    """shape(i) -> (logins dict provider -> [subjects], disabled)."""
    idents = pool["identities"]
    t0 = pool["created"]
    for i in range(n):
        iid = f"{region}:{_hexid(rng)}"
        logins, disabled = shape(i)
        created = round(t0 + 60 + i * 17.25, 3)
        idents[iid] = {"id": iid, "logins": logins, "created": created,
                       "modified": round(created + (i % 13) * 3600.5, 3), "disabled": disabled}


def demo(region="us-east-1", identities=10000):
    rng = random.Random(f"cognito-tui-demo:{region}")
    up = USER_POOL.format(region=region)
    pools = []

    big = _pool(rng, region, "big-pool", {
        "AllowUnauthenticatedIdentities": True, "AllowClassicFlow": False,
        "SupportedLoginProviders": {"graph.facebook.com": "7346241598935552", "accounts.google.com":
                                    "123456789012-demo.apps.googleusercontent.com"},
        "DeveloperProviderName": "login.demo.app",
        "CognitoIdentityProviders": [{"ProviderName": up, "ClientId": USER_POOL_CLIENT, "ServerSideTokenCheck": False}],
    }, BASE_TIME)
    big["tags"] = {"env": "demo", "team": "identity", "cost-center": "4711"}
    big["roles"] = {"authenticated": _role("Cognito_bigpoolAuth_Role"),
                    "unauthenticated": _role("Cognito_bigpoolUnauth_Role")}
    big["role_mappings"] = {
        f"{up}:{USER_POOL_CLIENT}": {"Type": "Token", "AmbiguousRoleResolution": "AuthenticatedRole"},
        "graph.facebook.com": {"Type": "Rules", "AmbiguousRoleResolution": "Deny", "RulesConfiguration": {"Rules": [
            {"Claim": "email", "MatchType": "StartsWith", "Value": "admin", "RoleARN": _role("DemoAdmin")},
            {"Claim": "custom:tier", "MatchType": "Equals", "Value": "gold", "RoleARN": _role("DemoGold")},
            {"Claim": "custom:tier", "MatchType": "NotEqual", "Value": "banned", "RoleARN": _role("DemoReadOnly")},
        ]}},
    }
    big["principal_tags"] = {up: {"UseDefaults": False, "PrincipalTags": {"department": "custom:dept",
                                                                           "username": "sub"}}}

    def big_shape(i):
        k = i % 10
        if k < 4:
            logins = {}
        elif k < 6:
            logins = {"graph.facebook.com": [f"fb-{i}"]}
        elif k == 6:
            logins = {"accounts.google.com": [f"google-{i}"]}
        elif k == 7:
            logins = {"login.demo.app": [f"user-{i:06d}"]}
        elif k == 8:
            logins = {up: [f"sub-{i:06d}"]}
        else:
            logins = {"graph.facebook.com": [f"fb-{i}"], "accounts.google.com": [f"google-{i}"]}
        return logins, i % 97 == 13

    _identities(rng, region, big, identities, big_shape)
    pools.append(big)

    mobile = _pool(rng, region, "mobile-app", {
        "AllowUnauthenticatedIdentities": True,
        "SupportedLoginProviders": {"www.amazon.com": "amzn1.application.demo", "appleid.apple.com": "com.demo.mobile"},
        "DeveloperProviderName": "login.mobile.app",
    }, BASE_TIME + 86400)
    mobile["tags"] = {"env": "prod", "app": "mobile"}
    mobile["roles"] = {"authenticated": _role("MobileAuth"), "unauthenticated": _role("MobileGuestReadOnly")}
    mobile["role_mappings"] = {"www.amazon.com": {"Type": "Rules", "AmbiguousRoleResolution": "AuthenticatedRole",
                                                  "RulesConfiguration": {"Rules": [
                                                      {"Claim": "aud", "MatchType": "Contains", "Value": "beta",
                                                       "RoleARN": _role("MobileBeta")}]}}}

    def mobile_shape(i):
        if i == 0:  # one user with many developer ids: LookupDeveloperIdentity pages
            return {"login.mobile.app": [f"device-{j:03d}" for j in range(75)]}, False
        if i % 3 == 0:
            return {"login.mobile.app": [f"dev-user-{i}"]}, i % 9 == 0
        if i % 3 == 1:
            return {"www.amazon.com": [f"amzn-{i}"], "login.mobile.app": [f"dev-user-{i}"]}, False
        return {"appleid.apple.com": [f"apple-{i}"]}, i % 7 == 2

    _identities(rng, region, mobile, 40, mobile_shape)
    pools.append(mobile)

    partner = _pool(rng, region, "partner-portal", {
        "OpenIdConnectProviderARNs": [f"arn:aws:iam::{ACCOUNT}:oidc-provider/login.partner.example.com"],
        "SamlProviderARNs": [f"arn:aws:iam::{ACCOUNT}:saml-provider/PartnerADFS"],
    }, BASE_TIME + 2 * 86400)
    partner["tags"] = {"owner": "partners", "data-class": "confidential"}
    partner["roles"] = {"authenticated": _role("PartnerAuth")}
    partner["role_mappings"] = {"login.partner.example.com": {"Type": "Token", "AmbiguousRoleResolution": "Deny"}}
    partner["principal_tags"] = {"login.partner.example.com": {"UseDefaults": False,
                                                               "PrincipalTags": {"partner": "partner_id"}}}
    _identities(rng, region, partner, 12, lambda i: ({"login.partner.example.com": [f"partner-{i}"]}, False))
    pools.append(partner)

    pools.append(_pool(rng, region, "empty-pool", {}, BASE_TIME + 3 * 86400))

    evil_provider = "evil\x1b[31m.example.com"
    esc = _pool(rng, region, "escape-tests", {
        "AllowUnauthenticatedIdentities": True, "AllowClassicFlow": True,
        "SupportedLoginProviders": {evil_provider: "app\x1b[0m", "bidi\u202e.example.com": "rtl-app"},
        "DeveloperProviderName": "login.escape.app",
    }, BASE_TIME + 4 * 86400)
    esc["tags"] = {f"esc-{j}": v for j, v in enumerate(ESCAPES)}
    esc["tags"]["key\x1b[7m"] = "key with escape"
    esc["roles"] = {"authenticated": _role("EscapeAuth")}

    def esc_shape(i):
        v = ESCAPES[i % len(ESCAPES)]
        if i % 3 == 0:
            return {"login.escape.app": [f"dev-{i}-{v}"]}, False
        if i % 3 == 1:
            return {evil_provider: [f"user-{i}-{v}"]}, False
        return {"bidi\u202e.example.com": [f"rtl-{i}"]}, i == 5

    _identities(rng, region, esc, 2 * len(ESCAPES), esc_shape)
    esc["principal_tags"] = {evil_provider: {"UseDefaults": False, "PrincipalTags": {"tag\x1b[1m": "claim\r"}}}
    pools.append(esc)
    # The name pattern [\w\s+=,.@-]+ admits \r, \n, \t, \v and \f (Java's \s): a name that tries to
    # break a terminal line.
    pools.append(_pool(rng, region, "overwrite\rme\tpool\n", {}, BASE_TIME + 5 * 86400))
    return {"pools": pools, "iam": demo_iam(pools)}


def _doc(statements):
    return json.dumps({"Version": "2012-10-17", "Statement": statements}, separators=(",", ":"))


def _trust(pool_id=None, amr="authenticated", tag_session=False):
    """A role trust policy for Cognito identity pools, shaped as the developer guide's "IAM roles"
    page shows it: the aud condition names the pool, amr says which kind of identity."""
    cond = {}
    if pool_id:
        cond["StringEquals"] = {"cognito-identity.amazonaws.com:aud": pool_id}
    if amr:
        cond["ForAnyValue:StringLike"] = {"cognito-identity.amazonaws.com:amr": amr}
    stmt = {"Effect": "Allow", "Principal": {"Federated": "cognito-identity.amazonaws.com"},
            "Action": ["sts:AssumeRoleWithWebIdentity", "sts:TagSession"] if tag_session
            else "sts:AssumeRoleWithWebIdentity"}
    if cond:
        stmt["Condition"] = cond
    return _doc([stmt])


def demo_iam(pools):
    """The roles the demo pools name, with their policies. Deliberate flaws for the audit (README.md
    lists which pool shows which): mobile-app's guest role allows writes and wildcards and its
    authenticated role's trust has no aud condition, its rule role MobileBeta trusts the wrong amr;
    partner-portal maps principal tags but PartnerAuth's trust lacks sts:TagSession; escape-tests
    names EscapeAuth, which does not exist. big-pool's roles are correct."""
    by_name = {p["config"]["IdentityPoolName"]: p["IdentityPoolId"] for p in pools}
    state = iam.empty_state(ACCOUNT, BASE_TIME)
    roles, policies = state["roles"], state["policies"]

    def role(name, trust, inline=None, attached=(), description=None):
        r = iam.new_role(ACCOUNT, name, trust, BASE_TIME, description=description, deterministic=True)
        r["inline"] = dict(inline or {})
        r["attached"] = list(attached)
        roles[name] = r

    def managed(name, statements, description=None):
        p = iam.new_policy(ACCOUNT, name, _doc(statements), BASE_TIME, description=description, deterministic=True)
        policies[p["Arn"]] = p
        return p["Arn"]

    aws = "arn:aws:iam::aws:policy/"
    big = by_name["big-pool"]
    bucket = "arn:aws:s3:::demo-app-data"
    own = "${cognito-identity.amazonaws.com:sub}"
    admin = managed("DemoAdminPolicy", [{"Effect": "Allow", "Action": ["cognito-identity:Describe*",
                                                                        "cognito-identity:List*"],
                                         "Resource": f"arn:aws:cognito-identity:*:{ACCOUNT}:identitypool/*"}],
                    "Read the identity pools")
    role("Cognito_bigpoolAuth_Role", _trust(big, "authenticated", tag_session=True),
         {"own-files": _doc([{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
                              "Resource": f"{bucket}/private/{own}/*"}])})
    role("Cognito_bigpoolUnauth_Role", _trust(big, "unauthenticated"),
         {"public-read": _doc([{"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"{bucket}/public/*"}])})
    role("DemoAdmin", _trust(big, "authenticated", tag_session=True), attached=[admin])
    role("DemoGold", _trust(big, "authenticated", tag_session=True),
         {"gold-table": _doc([{"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:Query"],
                               "Resource": f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/gold"}])})
    role("DemoReadOnly", _trust(big, "authenticated", tag_session=True), attached=[aws + "AmazonS3ReadOnlyAccess"])

    mobile = by_name["mobile-app"]
    role("MobileAuth", _trust(None, "authenticated"),  # flaw: any identity pool's users may assume it
         {"own-files": _doc([{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
                              "Resource": f"{bucket}/mobile/{own}/*"}])})
    role("MobileGuestReadOnly", _trust(mobile, "unauthenticated"),  # flaw: a "read-only" guest that writes
         {"guest": _doc([{"Effect": "Allow", "Action": ["dynamodb:*", "s3:PutObject"], "Resource": "*"}])},
         attached=[aws + "AmazonS3FullAccess"])
    role("MobileBeta", _trust(mobile, "unauthenticated"),  # flaw: an authenticated rule's role trusting guests
         {"beta": _doc([{"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"{bucket}/beta/*"}])})

    partner = by_name["partner-portal"]
    role("PartnerAuth", _trust(partner, "authenticated"),  # flaw: principal tags mapped, no sts:TagSession
         {"partner-files": _doc([{"Effect": "Allow", "Action": "s3:GetObject",
                                  "Resource": f"{bucket}/partners/${{aws:PrincipalTag/partner}}/*"}])})
    # escape-tests names EscapeAuth, which is never created (flaw).
    host = "login.partner.example.com"
    state["oidc"][f"arn:aws:iam::{ACCOUNT}:oidc-provider/{host}"] = {
        "Url": host, "ClientIDList": [PARTNER_CLIENT], "ThumbprintList": ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"],
        "CreateDate": BASE_TIME, "Tags": []}
    return state


def build(name, region="us-east-1", identities=10000):
    if name == "none":
        return {"pools": [], "iam": iam.empty_state(ACCOUNT, BASE_TIME)}
    if name == "demo":
        return demo(region, identities)
    raise ValueError(f"unknown seed {name!r} (known: none, demo)")
