"""The Cognito Identity service: data and the 23 operations.

Semantics follow the Amazon Cognito Identity API Reference (2014-06-30) for
each operation; messages that the reference does not give are ones seen from
the service in public wire captures where known ("Unauthenticated access is
not supported for this identity pool.", "Logins don't match. Please include at
least one valid login for this identity or identity pool.", "Invalid identity
pool configuration. Check assigned IAM roles for this pool."), else plain
English in the same style. Timestamps go out as epoch seconds (JSON 1.1).
"""
import base64
import bisect
import hashlib
import hmac
import json
import re
import secrets
import threading
import uuid

import iam
import jwt
import userpools

READS = frozenset({
    "DescribeIdentityPool", "DescribeIdentity", "ListIdentityPools", "ListIdentities", "GetIdentityPoolRoles",
    "ListTagsForResource", "LookupDeveloperIdentity", "GetPrincipalTagAttributeMap",
})
POOL_FIELDS = ("AllowClassicFlow", "SupportedLoginProviders", "DeveloperProviderName", "OpenIdConnectProviderARNs",
               "CognitoIdentityProviders", "SamlProviderARNs")
ISSUER = "https://cognito-identity.amazonaws.com"
OWN_PROVIDER = "cognito-identity.amazonaws.com"
MAX_POOLS = 1000
MAX_TAGS = 50
MAX_RULES = 25  # "Rules per role mapping: 25" (Cognito identity pools quotas page)
# STS's session tag limits (IAM User Guide, "IAM and AWS STS quotas": 50 session tags, keys of
# 128 and values of 256 characters), which the principal tags of a session must fit.
MAX_SESSION_TAGS, MAX_SESSION_TAG_KEY, MAX_SESSION_TAG_VALUE = 50, 128, 256
MAX_MERGED_LOGINS = 20  # MergeDeveloperIdentities: "The number of linked logins is limited to 20."
OPENID_TOKEN_SECONDS = 600  # GetOpenIdToken: "The OpenID token is valid for 10 minutes."
DEV_TOKEN_DEFAULT = 900  # GetOpenIdTokenForDeveloperIdentity: TokenDuration default 15 minutes
ROLE_ARN = re.compile(r"arn:aws[\w-]*:iam::\d{12}:role/[\w+=,.@/-]+")


class ServiceError(Exception):
    def __init__(self, code, message, status=400):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


def _bad(msg):
    return ServiceError("InvalidParameterException", msg)


def _denied(msg):
    return ServiceError("NotAuthorizedException", msg)


def _missing(msg):
    return ServiceError("ResourceNotFoundException", msg)


def _conflict(msg):
    return ServiceError("ResourceConflictException", msg)


UNAUTH_REFUSED = "Unauthenticated access is not supported for this identity pool."
LOGINS_DONT_MATCH = "Logins don't match. Please include at least one valid login for this identity or identity pool."


def _ts(t):
    return round(t, 3)


class IdentityOrder:
    """The listing order of a pool's identities (creation order), kept up to date as identities
    come and go, so a ListIdentities page or a DeleteIdentities batch costs what it touches and
    never a pass over the pool (the bulk jobs run 120,000 identities through them). Each identity
    has a sequence number; a page token names the last one returned and the next page starts
    after it (bisect), whether or not that identity still exists. Removed identities leave a
    hole that a later compaction closes (amortized O(1) a removal)."""

    def __init__(self, ids=()):
        self.ids = list(ids)
        self.seqs = list(range(len(self.ids)))
        self.pos = {iid: i for i, iid in enumerate(self.ids)}
        self.next = len(self.ids)
        self.dead = 0

    def add(self, iid):
        self.pos[iid] = len(self.ids)
        self.ids.append(iid)
        self.seqs.append(self.next)
        self.next += 1

    def remove(self, iid):
        i = self.pos.pop(iid, None)
        if i is None:
            return
        self.ids[i] = None
        self.dead += 1
        if self.dead > 1024 and self.dead * 2 > len(self.ids):
            live = [(q, x) for q, x in zip(self.seqs, self.ids) if x is not None]
            self.seqs = [q for q, _ in live]
            self.ids = [x for _, x in live]
            self.pos = {x: i for i, x in enumerate(self.ids)}
            self.dead = 0

    def after(self, seq):
        """Index of the first slot after sequence number SEQ."""
        return bisect.bisect_right(self.seqs, seq)


class Store:
    """All pools and identities. One lock guards everything; operations are short."""

    def __init__(self, region, account, clock, signer, creds, settings, user_pools=None):
        self.region = region
        self.user_pools = user_pools or userpools.UserPools()
        self.account = account
        self.clock = clock
        self.signer = signer
        self.creds = creds
        self.settings = settings
        self.lock = threading.RLock()
        self.pools = {}
        self.identity_pool = {}
        self.req_region = None  # the Region of the operation running (under the lock)
        self.iam = iam.empty_state(account, round(clock()))
        self._token_key = secrets.token_bytes(32)
        self.on_change = None

    # -- data loading and saving --------------------------------------------
    def load(self, data):
        with self.lock:
            self.pools = {}
            self.identity_pool = {}
            for p in data.get("pools", []):
                self._index_pool(p)
                self.pools[p["IdentityPoolId"]] = p
            # State files from before IAM have no "iam": the account then has no roles.
            self.iam = data.get("iam") or iam.empty_state(self.account, round(self.clock()))

    def _index_pool(self, p):
        by_login = {}
        pid = p["IdentityPoolId"]
        ip = self.identity_pool
        for iid, ident in p["identities"].items():
            ip[iid] = pid
            for prov, subs in ident["logins"].items():
                for s in subs:
                    by_login[prov + "\x00" + s] = iid
        p["_by_login"] = by_login
        p["_order"] = IdentityOrder(p["identities"])

    def dump(self):
        with self.lock:
            return {"pools": [{k: v for k, v in p.items() if not k.startswith("_")} for p in self.pools.values()],
                    "iam": self.iam}

    def changed(self):
        """Called (under the lock) after IAM data changed: saves the state like any Cognito change."""
        if self.on_change:
            self.on_change()

    def _changed(self, pool=None):
        if self.on_change:
            self.on_change()

    # -- helpers ----------------------------------------------------------------
    @staticmethod
    def new_id(region):
        return f"{region}:{uuid.uuid4()}"

    def _here(self, some_id):
        """Whether an id (REGION:GUID) belongs to the Region of the request being served: each
        Region is its own service, so a pool of another Region is not found there."""
        return self.req_region is None or some_id.split(":", 1)[0] == self.req_region

    def pool(self, pid):
        p = self.pools.get(pid)
        if p is None or not self._here(pid):
            raise _missing(f"IdentityPool '{pid}' not found.")
        return p

    def identity(self, iid):
        pid = self.identity_pool.get(iid)
        if pid is None or not self._here(iid):
            raise _missing(f"Identity '{iid}' not found.")
        p = self.pools[pid]
        return p, p["identities"][iid]

    def pool_arn(self, pid):
        return f"arn:aws:cognito-identity:{pid.split(':', 1)[0]}:{self.account}:identitypool/{pid}"

    def pool_from_arn(self, arn):
        prefix = f"arn:aws:cognito-identity:{self.req_region or self.region}:{self.account}:identitypool/"
        if not arn.startswith(prefix):
            raise _bad(f"Invalid resource ARN: {arn}")
        return self.pool(arn[len(prefix):])

    # Pagination tokens: base64(JSON) + HMAC, bound to the operation and query.
    def make_token(self, op, query, pos, last):
        body = json.dumps({"o": op, "q": query, "p": pos, "l": last}, separators=(",", ":")).encode()
        mac = hmac.new(self._token_key, body, hashlib.sha256).digest()[:16]
        return base64.urlsafe_b64encode(body + mac).decode().rstrip("=")

    def read_token(self, op, query, token):
        bad = _bad("The pagination token is invalid or does not belong to this request.")
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        except (ValueError, TypeError):
            raise bad from None
        body, mac = raw[:-16], raw[-16:]
        if len(raw) < 17 or not hmac.compare_digest(mac, hmac.new(self._token_key, body, hashlib.sha256).digest()[:16]):
            raise bad
        t = json.loads(body)
        if t.get("o") != op or t.get("q") != query:
            raise bad
        return t["p"], t["l"]

    def _page(self, op, query, index, params):
        """Where a page starts: after the token's last item if it still exists, else at its position."""
        start = 0
        if params.get("NextToken"):
            pos, last = self.read_token(op, query, params["NextToken"])
            start = index[last] + 1 if last in index else pos
        return start

    def _providers(self, pool):
        """Login provider names this pool accepts in Logins (the developer one excluded)."""
        c = pool["config"]
        provs = set((c.get("SupportedLoginProviders") or {}).keys())
        for cip in c.get("CognitoIdentityProviders") or []:
            provs.add(cip.get("ProviderName"))
        for arn in c.get("OpenIdConnectProviderARNs") or []:
            provs.add(arn.split("oidc-provider/", 1)[-1])
        for arn in c.get("SamlProviderARNs") or []:
            provs.add(arn)
        provs.add(OWN_PROVIDER)
        return provs

    def _subject(self, pool, provider, token):
        """The user a login token names, and its claims; raises NotAuthorizedException as the
        service does. Cognito user-pool tokens are checked fully (see _user_pool_subject); the
        emulator's own tokens by signature, audience and expiry; OIDC tokens, when the provider
        is registered in IAM, by issuer, audience and expiry. Other third-party tokens cannot
        be checked here: a JWT's `sub` (its `exp` honoured), else the token text itself;
        `invalid` is refused, for tests."""
        if provider not in self._providers(pool):
            raise _denied("Token is not from a supported provider of this identity pool.")
        if provider == OWN_PROVIDER:
            claims = self.signer.verify(token)
            if claims is None or claims.get("aud") != pool["IdentityPoolId"]:
                raise _denied("Invalid login token. Token signature invalid.")
            if claims.get("exp", 0) < self.clock():
                raise _denied(f"Invalid login token. Token expired: {int(self.clock())} >= {claims.get('exp')}")
            return claims["sub"], claims
        if userpools.provider_pool(provider) and provider in self._user_pool_providers(pool):
            return self._user_pool_subject(pool, provider, token)
        if token == "invalid":
            raise _denied("Invalid login token. Not a valid OpenId Connect identity token.")
        claims = jwt.unverified_claims(token)
        if claims is not None:
            if isinstance(claims.get("exp"), (int, float)) and claims["exp"] < self.clock():
                raise _denied(f"Invalid login token. Token expired: {int(self.clock())} >= {claims['exp']}")
            self._check_oidc(provider, claims)
            sub = claims.get("sub")
            if isinstance(sub, str) and sub:
                return sub, claims
        return token, {"sub": token}

    @staticmethod
    def _user_pool_providers(pool):
        return {c.get("ProviderName") for c in pool["config"].get("CognitoIdentityProviders") or []}

    def _user_pool_subject(self, pool, provider, token):
        """A Cognito user-pool login: an ID token of this user pool, for a configured app client,
        unexpired, with a valid signature. The order and texts follow the service's answers in
        public reports: amazon-cognito-identity-js#12 and #7 (an access token: "Missing a
        required claim: aud"; another app client: "Token is not from a supported provider of this
        identity pool."), aws-sdk-net#1251 and amazon-cognito-identity-js#407 ("Issuer doesn't
        match providerName"), amplify-js#2067 (expired), amazon-cognito-identity-js#91
        ("Couldn't verify signed token.")."""
        claims = jwt.unverified_claims(token)
        if claims is None:
            raise _denied("Invalid login token. Not a valid OpenId Connect identity token.")
        if claims.get("iss") != "https://" + provider:
            raise _denied("Invalid login token. Issuer doesn't match providerName")
        if "aud" not in claims:
            raise _denied("Invalid login token. Missing a required claim: aud")
        auds = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        clients = {c.get("ClientId") for c in pool["config"].get("CognitoIdentityProviders") or []
                   if c.get("ProviderName") == provider}
        if not clients & {a for a in auds if isinstance(a, str)}:
            raise _denied("Token is not from a supported provider of this identity pool.")
        if claims.get("token_use", "id") != "id":
            raise _denied("Invalid login token. Not a valid OpenId Connect identity token.")
        exp = claims.get("exp")
        now = self.clock()
        if isinstance(exp, bool) or not isinstance(exp, (int, float)) or exp <= now:
            raise _denied(f"Invalid login token. Token expired: {int(now)} >= {exp}")
        if self.user_pools.verify(userpools.provider_pool(provider), token) is None:
            raise _denied("Invalid login token. Couldn't verify signed token.")
        sub = claims.get("sub")
        if not isinstance(sub, str) or not sub:
            raise _denied("Invalid login token. Missing a required claim: sub")
        return sub, claims

    def _check_oidc(self, provider, claims):
        """An OIDC login whose provider is registered in IAM: the token's issuer must be the
        provider and its audience one of the provider's client ids (IAM's ClientIDList), as
        STS checks web identity tokens ("Incorrect token audience")."""
        prov = self.iam["oidc"].get(f"arn:aws:iam::{self.account}:oidc-provider/{provider}")
        if prov is None:
            return
        iss = claims.get("iss")
        if not isinstance(iss, str) or iss.split("://", 1)[-1].rstrip("/") != provider:
            raise _denied("Invalid login token. Issuer doesn't match providerName")
        auds = claims.get("aud") if isinstance(claims.get("aud"), list) else [claims.get("aud")]
        if not set(prov["ClientIDList"]) & {a for a in auds if isinstance(a, str)}:
            raise _denied("Invalid login token. Incorrect token audience.")

    def _resolve_logins(self, pool, logins):
        """[(provider, subject, claims)] for a Logins map; raises NotAuthorizedException."""
        return [(prov,) + self._subject(pool, prov, tok) for prov, tok in (logins or {}).items()]

    def _check_logins_for(self, pool, ident, logins):
        """The Logins sent with a public call must name this identity (when it has logins)."""
        resolved = self._resolve_logins(pool, logins)
        if not resolved:
            if ident["logins"]:
                raise _denied(LOGINS_DONT_MATCH)
            return resolved
        for prov, sub, _ in resolved:
            if prov == OWN_PROVIDER and sub == ident["id"]:
                owner = ident["id"]
            else:
                owner = pool["_by_login"].get(prov + "\x00" + sub)
            if owner != ident["id"]:
                raise _denied(LOGINS_DONT_MATCH)
        return resolved

    def _new_identity(self, pool, now):
        iid = self.new_id(pool["IdentityPoolId"].split(":", 1)[0])
        ident = {"id": iid, "logins": {}, "created": _ts(now), "modified": _ts(now), "disabled": False}
        pool["identities"][iid] = ident
        pool["_order"].add(iid)
        self.identity_pool[iid] = pool["IdentityPoolId"]
        return ident

    def _link(self, pool, ident, prov, sub, now):
        subs = ident["logins"].setdefault(prov, [])
        if sub not in subs:
            subs.append(sub)
        pool["_by_login"][prov + "\x00" + sub] = ident["id"]
        ident["modified"] = _ts(now)

    def _unlink(self, pool, ident, prov, sub, now):
        subs = ident["logins"].get(prov, [])
        if sub in subs:
            subs.remove(sub)
        if not subs:
            ident["logins"].pop(prov, None)
        pool["_by_login"].pop(prov + "\x00" + sub, None)
        ident["modified"] = _ts(now)

    def _remove_identity(self, pool, iid):
        ident = pool["identities"].pop(iid)
        pool["_order"].remove(iid)
        self.identity_pool.pop(iid, None)
        for prov, subs in ident["logins"].items():
            for s in subs:
                pool["_by_login"].pop(prov + "\x00" + s, None)

    @staticmethod
    def describe_identity(ident):
        return {"IdentityId": ident["id"], "Logins": list(ident["logins"]),
                "CreationDate": ident["created"], "LastModifiedDate": ident["modified"]}

    def describe_pool(self, pool):
        out = {"IdentityPoolId": pool["IdentityPoolId"]}
        out.update({k: v for k, v in pool["config"].items() if v is not None})
        out["IdentityPoolTags"] = dict(pool["tags"])
        return out

    # -- operations ----------------------------------------------------------------
    def call(self, op, params, caller, region=None):
        """Runs one operation for REGION (the request's; None: any)."""
        fn = getattr(self, "op_" + op)
        with self.lock:
            self.req_region = region
            try:
                return fn(params, caller)
            finally:
                self.req_region = None

    def _pool_config(self, params):
        cfg = {"IdentityPoolName": params["IdentityPoolName"],
               "AllowUnauthenticatedIdentities": params["AllowUnauthenticatedIdentities"]}
        for k in POOL_FIELDS:
            if params.get(k) is not None:
                cfg[k] = params[k]
        if params.get("DeveloperProviderName") == OWN_PROVIDER:
            raise _bad("The developer provider name cannot be cognito-identity.amazonaws.com.")
        return cfg

    def _region_pools(self):
        return [pid for pid in self.pools if self._here(pid)]

    def op_CreateIdentityPool(self, params, caller):
        if len(self._region_pools()) >= MAX_POOLS:
            raise ServiceError("LimitExceededException", f"You have reached the limit of {MAX_POOLS} identity pools.")
        tags = params.get("IdentityPoolTags") or {}
        if len(tags) > MAX_TAGS:
            raise _bad(f"An identity pool can have at most {MAX_TAGS} tags.")
        pid = self.new_id(self.req_region or self.region)
        pool = {"IdentityPoolId": pid, "config": self._pool_config(params), "tags": dict(tags), "roles": {},
                "role_mappings": {}, "principal_tags": {}, "identities": {}, "created": _ts(self.clock())}
        self._index_pool(pool)
        self.pools[pid] = pool
        self._changed(pool)
        return self.describe_pool(pool)

    def op_DescribeIdentityPool(self, params, caller):
        return self.describe_pool(self.pool(params["IdentityPoolId"]))

    def op_UpdateIdentityPool(self, params, caller):
        pool = self.pool(params["IdentityPoolId"])
        cfg = self._pool_config(params)
        old_dev = pool["config"].get("DeveloperProviderName")
        # "Once you have set a developer provider name, you cannot change it." (API reference)
        if old_dev:
            if cfg.get("DeveloperProviderName") not in (None, old_dev):
                raise _bad("The developer provider name cannot be changed once set.")
            cfg["DeveloperProviderName"] = old_dev
        pool["config"] = cfg  # what is not sent is reset
        if params.get("IdentityPoolTags") is not None:
            if len(params["IdentityPoolTags"]) > MAX_TAGS:
                raise _bad(f"An identity pool can have at most {MAX_TAGS} tags.")
            pool["tags"] = dict(params["IdentityPoolTags"])
        self._changed(pool)
        return self.describe_pool(pool)

    def op_DeleteIdentityPool(self, params, caller):
        pool = self.pool(params["IdentityPoolId"])
        for iid in pool["identities"]:
            self.identity_pool.pop(iid, None)
        del self.pools[params["IdentityPoolId"]]
        self._changed()
        return None

    def op_ListIdentityPools(self, params, caller):
        ids = self._region_pools()
        index = {pid: i for i, pid in enumerate(ids)}
        limit = params["MaxResults"]
        start = self._page("ListIdentityPools", {}, index, params)
        chunk = ids[start:start + limit]
        names = [(pid, self.pools[pid]["config"]["IdentityPoolName"]) for pid in chunk]
        out = {"IdentityPools": [{"IdentityPoolId": pid, "IdentityPoolName": name} for pid, name in names]}
        if start + limit < len(ids):
            out["NextToken"] = self.make_token("ListIdentityPools", {}, start + limit, chunk[-1])
        return out

    def op_ListIdentities(self, params, caller):
        pool = self.pool(params["IdentityPoolId"])
        hide = bool(params.get("HideDisabled"))
        query = {"pool": pool["IdentityPoolId"], "hide": hide}
        order, idents = pool["_order"], pool["identities"]
        ids, limit = order.ids, params["MaxResults"]
        i = 0
        if params.get("NextToken"):
            _, last_seq = self.read_token("ListIdentities", query, params["NextToken"])
            i = order.after(last_seq)
        out_ids, last_seq = [], None

        def skipped(iid):
            return iid is None or (hide and idents[iid]["disabled"])

        while i < len(ids) and len(out_ids) < limit:
            iid = ids[i]
            i += 1
            if skipped(iid):
                continue
            out_ids.append(idents[iid])
            last_seq = order.seqs[i - 1]
        while i < len(ids) and skipped(ids[i]):  # never hand out a token that leads to an empty page
            i += 1
        out = {"IdentityPoolId": pool["IdentityPoolId"], "Identities": [self.describe_identity(x) for x in out_ids]}
        if i < len(ids) and out_ids:
            out["NextToken"] = self.make_token("ListIdentities", query, i, last_seq)
        return out

    def op_DescribeIdentity(self, params, caller):
        _, ident = self.identity(params["IdentityId"])
        return self.describe_identity(ident)

    def op_DeleteIdentities(self, params, caller):
        unprocessed = []
        for iid in params["IdentityIdsToDelete"]:
            pid = self.identity_pool.get(iid)
            if pid is None or not self._here(iid):
                # The emulator's choice: an id the caller cannot see is reported, not silently dropped.
                unprocessed.append({"IdentityId": iid, "ErrorCode": "AccessDenied"})
                continue
            self._remove_identity(self.pools[pid], iid)
        self._changed()
        return {"UnprocessedIdentityIds": unprocessed}

    def op_GetId(self, params, caller):
        pool = self.pool(params["IdentityPoolId"])
        if params.get("AccountId") not in (None, self.account):
            raise _denied("Access to IdentityPool is forbidden for this account.")
        now = self.clock()
        logins = params.get("Logins") or {}
        if OWN_PROVIDER in logins:
            # GetId never takes the service's own OpenID tokens (amplify-swift#2842, amplify-js#665).
            raise _denied("Invalid login token. Can't pass in a Cognito token.")
        if not logins:
            if not pool["config"]["AllowUnauthenticatedIdentities"]:
                raise _denied(UNAUTH_REFUSED)
            ident = self._new_identity(pool, now)
            self._changed(pool)
            return {"IdentityId": ident["id"]}
        resolved = self._resolve_logins(pool, logins)
        owners = set()
        for prov, sub, _ in resolved:
            o = pool["_by_login"].get(prov + "\x00" + sub)
            if o:
                owners.add(o)
        if len(owners) > 1:
            raise _conflict("The logins are linked to different identities.")
        ident = pool["identities"][owners.pop()] if owners else self._new_identity(pool, now)
        for prov, sub, _ in resolved:
            self._link(pool, ident, prov, sub, now)
        self._changed(pool)
        return {"IdentityId": ident["id"]}

    @staticmethod
    def _mapping_key(prov, claims):
        """The RoleMappings key a login uses: the provider name, and for a Cognito user pool
        "PROVIDER:CLIENTID" (the token's audience), as SetIdentityPoolRoles documents it."""
        if userpools.provider_pool(prov):
            aud = claims.get("aud")
            return f"{prov}:{aud[0] if isinstance(aud, list) and aud else aud}"
        return prov

    def _role_for(self, pool, resolved, custom):
        """The role GetCredentialsForIdentity assumes: the login's role mapping (Token: the
        `cognito:preferred_role` claim; Rules: the first matching rule), then
        AmbiguousRoleResolution, then the pool's roles. CustomRoleArn only chooses among the roles
        the token allows (its `cognito:roles`, or the roles of the rules it matches); any other
        value is ignored, as aws-sdk-net#943 saw the service do."""
        roles = pool["roles"]
        if not resolved:
            if not pool["config"]["AllowUnauthenticatedIdentities"]:
                raise _denied(UNAUTH_REFUSED)
            return roles.get("unauthenticated")
        for prov, _, claims in resolved:
            mapping = pool["role_mappings"].get(self._mapping_key(prov, claims))
            if mapping is None:
                continue
            role = None
            if mapping["Type"] == "Token":
                allowed = claims.get("cognito:roles") or []
                allowed = allowed if isinstance(allowed, list) else [allowed]
                preferred = claims.get("cognito:preferred_role")
                role = custom if custom and custom in allowed else preferred if isinstance(preferred, str) else None
            else:
                matched = [r["RoleARN"] for r in (mapping.get("RulesConfiguration") or {}).get("Rules", [])
                           if _rule_matches(r, claims)]
                role = custom if custom in matched else matched[0] if matched else None
            if role is None:
                if mapping.get("AmbiguousRoleResolution") == "Deny":
                    # amplify-js#8644: "The ambiguous role mapping rules ... denied this request"
                    raise _denied(f"The ambiguous role mapping rules for: {prov} denied this request.")
                role = roles.get("authenticated")
            return role
        return roles.get("authenticated")

    def _public_identity(self, params):
        pid = self.identity_pool.get(params["IdentityId"])
        if pid is None:
            raise _missing(f"Identity '{params['IdentityId']}' not found.")
        pool = self.pools[pid]
        ident = pool["identities"][params["IdentityId"]]
        # Disabled identities, and those whose last login was unlinked ("Removing the last linked
        # login will make this identity inaccessible.": UnlinkIdentity API reference).
        if ident["disabled"] or ident.get("inaccessible"):
            raise _denied(f"Access to Identity '{ident['id']}' is forbidden.")
        return pool, ident

    def _tags_apply(self, pool, resolved):
        """Whether the session would be tagged (principal tags): a provider of the logins has a
        principal tag map, or a developer token carries tags. STS then needs sts:TagSession."""
        for prov, _, claims in resolved:
            if prov == OWN_PROVIDER:
                if (claims.get("https://aws.amazon.com/tags") or {}).get("principal_tags"):
                    return True
                continue
            m = pool["principal_tags"].get(prov)
            if m and (m.get("UseDefaults") or m.get("PrincipalTags")):
                return True
        return False

    @staticmethod
    def _claim_text(claims, name):
        v = claims.get(name)
        if v is None or isinstance(v, (dict, list)):
            return None
        return ("true" if v else "false") if isinstance(v, bool) else str(v)

    def _session_tags(self, pool, resolved):
        """The principal tags STS would be asked to put on the session: a provider's map (its
        defaults, client = aud and username = sub, and its PrincipalTags: tag -> claim) over the
        login's claims, or a developer token's tags. Claims the token lacks set no tag."""
        tags = {}
        for prov, _, claims in resolved:
            if prov == OWN_PROVIDER:
                for k, v in ((claims.get("https://aws.amazon.com/tags") or {}).get("principal_tags") or {}).items():
                    tags[k] = v[0] if isinstance(v, list) and v else str(v)
                continue
            m = pool["principal_tags"].get(prov)
            if not m:
                continue
            pairs = ([("client", "aud"), ("username", "sub")] if m.get("UseDefaults") else []) + \
                list((m.get("PrincipalTags") or {}).items())
            for tag, claim in pairs:
                v = self._claim_text(claims, claim)
                if v is not None:
                    tags[tag] = v
        return tags

    @staticmethod
    def _session_tags_fit(tags):
        return len(tags) <= MAX_SESSION_TAGS and all(
            len(k) <= MAX_SESSION_TAG_KEY and len(v) <= MAX_SESSION_TAG_VALUE for k, v in tags.items())

    @staticmethod
    def _amr(resolved):
        if not resolved:
            return ["unauthenticated"]
        return ["authenticated"] + sorted({a for prov, _, claims in resolved
                                           for a in ((claims.get("amr") or [])[1:] if prov == OWN_PROVIDER
                                                     else [prov])})

    def op_GetCredentialsForIdentity(self, params, caller):
        pool, ident = self._public_identity(params)
        resolved = self._check_logins_for(pool, ident, params.get("Logins"))
        role = self._role_for(pool, resolved, params.get("CustomRoleArn"))
        # STS's AssumeRoleWithWebIdentity, as the service makes it for the identity: the role must
        # exist and trust cognito-identity.amazonaws.com for this pool, amr and (with principal
        # tags) sts:TagSession; else the service's one answer for all of it (stackoverflow
        # 30425942, aws-sdk-js#4112, amazon-cognito-auth-js#167/#196).
        context = {"cognito-identity.amazonaws.com:aud": [pool["IdentityPoolId"]],
                   "cognito-identity.amazonaws.com:amr": self._amr(resolved),
                   "cognito-identity.amazonaws.com:sub": [ident["id"]]}
        # Principal tags over STS's limits make STS refuse the session too: the same answer
        # (aws-sdk-js#4112 met it with principal tags mapped).
        if not role or not iam.trust_allows(self.iam, self.account, role, context, self._tags_apply(pool, resolved)) \
                or not self._session_tags_fit(self._session_tags(pool, resolved)):
            raise ServiceError("InvalidIdentityPoolConfigurationException",
                               "Invalid identity pool configuration. Check assigned IAM roles for this pool.")
        now = self.clock()
        iam.role_for_arn(self.iam, self.account, role)["RoleLastUsed"] = {
            "LastUsedDate": round(now), "Region": pool["IdentityPoolId"].split(":", 1)[0]}
        c = self.creds.issue(role, "CognitoIdentityCredentials", now + self.settings["credential_duration_seconds"],
                             source="cognito")
        return {"IdentityId": ident["id"], "Credentials": {
            "AccessKeyId": c["access_key_id"], "SecretKey": c["secret"], "SessionToken": c["session_token"],
            "Expiration": _ts(c["expires"])}}

    def _openid_token(self, pool, ident, amr, duration, extra=None):
        now = int(self.clock())
        claims = {"sub": ident["id"], "aud": pool["IdentityPoolId"], "iss": ISSUER, "amr": amr,
                  "https://cognito-identity.amazonaws.com/identity-pool-arn": self.pool_arn(pool["IdentityPoolId"]),
                  "exp": now + duration, "iat": now}
        if extra:
            claims["https://aws.amazon.com/tags"] = {"principal_tags": {k: [v] for k, v in extra.items()}}
        return self.signer.sign(claims)

    def op_GetOpenIdToken(self, params, caller):
        pool, ident = self._public_identity(params)
        # The basic (classic) flow: refused when the pool turned it off; a pool that never set
        # AllowClassicFlow is served, as AWS did in aws-cli#7652 (the audit flags such pools).
        if pool["config"].get("AllowClassicFlow") is False:
            raise _bad("Basic (classic) flow is not enabled, please use enhanced flow.")
        resolved = self._check_logins_for(pool, ident, params.get("Logins"))
        if not resolved and not ident["logins"] and not pool["config"]["AllowUnauthenticatedIdentities"]:
            raise _denied(UNAUTH_REFUSED)
        amr = (["authenticated"] + sorted({p for p, _, _ in resolved})) if resolved else ["unauthenticated"]
        return {"IdentityId": ident["id"], "Token": self._openid_token(pool, ident, amr, OPENID_TOKEN_SECONDS)}

    def _dev_provider(self, pool, name=None):
        dev = pool["config"].get("DeveloperProviderName")
        if not dev:
            raise _bad("This identity pool has no developer provider name.")
        if name is not None and name != dev:
            raise _missing(f"Developer provider '{name}' is not configured for this identity pool.")
        return dev

    def _dev_owner(self, pool, dev, uid):
        return pool["_by_login"].get(dev + "\x00" + uid)

    def op_GetOpenIdTokenForDeveloperIdentity(self, params, caller):
        pool = self.pool(params["IdentityPoolId"])
        dev = self._dev_provider(pool)
        logins = dict(params["Logins"])
        if dev not in logins:
            raise _bad(f"Logins must contain the developer provider '{dev}'.")
        uid = logins.pop(dev)
        resolved = self._resolve_logins(pool, logins)
        now = self.clock()
        owner = self._dev_owner(pool, dev, uid)
        if params.get("IdentityId"):
            iid = params["IdentityId"]
            if iid not in pool["identities"]:
                raise _missing(f"Identity '{iid}' not found.")
            if owner and owner != iid:
                raise ServiceError("DeveloperUserAlreadyRegisteredException",
                                   "The developer user identifier is already registered with a different identity ID.")
            ident = pool["identities"][iid]
            others = {p for p in ident["logins"] if p != dev}
            if owner is None and others and not any(
                    prov in others and pool["_by_login"].get(prov + "\x00" + sub) == iid for prov, sub, _ in resolved):
                # Linking a developer user to an identity that has other logins needs one of them
                # (aws-sdk-net#1112, aws-sdk-js#2327: "Logins don't match").
                raise _denied(LOGINS_DONT_MATCH)
        elif owner:
            ident = pool["identities"][owner]
        else:
            ident = self._new_identity(pool, now)
        if ident["disabled"] or ident.get("inaccessible"):
            raise _denied(f"Access to Identity '{ident['id']}' is forbidden.")
        self._link(pool, ident, dev, uid, now)
        for prov, sub, _ in resolved:
            if prov != OWN_PROVIDER:
                other = pool["_by_login"].get(prov + "\x00" + sub)
                if other and other != ident["id"]:
                    raise _conflict(f"The login for {prov} is linked to a different identity.")
                self._link(pool, ident, prov, sub, now)
        self._changed(pool)
        duration = params.get("TokenDuration") or DEV_TOKEN_DEFAULT
        # A developer identity's amr names the provider and "DEV:POOLID:USERID", as in a real token
        # decoded in public material (aws-sdk-net#420: ["authenticated", "login.x", "login.x:us-east-1:GUID:user"]).
        amr = ["authenticated", dev, f"{dev}:{pool['IdentityPoolId']}:{uid}"] + sorted({p for p, _, _ in resolved})
        token = self._openid_token(pool, ident, amr, int(duration), params.get("PrincipalTags"))
        return {"IdentityId": ident["id"], "Token": token}

    def op_LookupDeveloperIdentity(self, params, caller):
        pool = self.pool(params["IdentityPoolId"])
        dev = self._dev_provider(pool)
        iid, uid = params.get("IdentityId"), params.get("DeveloperUserIdentifier")
        if not iid and not uid:
            raise _bad("Either IdentityId or DeveloperUserIdentifier must be given.")
        if uid:
            owner = self._dev_owner(pool, dev, uid)
            if owner is None:
                raise _missing("No identity is linked to this developer user identifier.")
            if iid and iid != owner:
                raise _conflict("The developer user identifier belongs to a different identity.")
            iid = owner
        if iid not in pool["identities"]:
            raise _missing(f"Identity '{iid}' not found.")
        uids = pool["identities"][iid]["logins"].get(dev, [])
        limit = params.get("MaxResults") or 60
        query = {"pool": pool["IdentityPoolId"], "id": iid}
        start = self._page("LookupDeveloperIdentity", query, {u: i for i, u in enumerate(uids)}, params)
        chunk = uids[start:start + limit]
        out = {"IdentityId": iid, "DeveloperUserIdentifierList": chunk}
        if start + limit < len(uids):
            out["NextToken"] = self.make_token("LookupDeveloperIdentity", query, start + limit, chunk[-1])
        return out

    def op_MergeDeveloperIdentities(self, params, caller):
        pool = self.pool(params["IdentityPoolId"])
        dev = self._dev_provider(pool, params["DeveloperProviderName"])
        src = self._dev_owner(pool, dev, params["SourceUserIdentifier"])
        dst = self._dev_owner(pool, dev, params["DestinationUserIdentifier"])
        if src is None:
            raise _missing("The source user identifier is not linked to any identity.")
        if dst is None:
            raise _missing("The destination user identifier is not linked to any identity.")
        if src != dst:
            now = self.clock()
            source, dest = pool["identities"][src], pool["identities"][dst]
            moved = [(p, s) for p, subs in source["logins"].items() for s in subs]
            # MergeDeveloperIdentities API reference: "If the users to be merged are associated
            # with the same public provider, but as two different users, an exception will be
            # thrown." and "The number of linked logins is limited to 20".
            shared = sorted((set(source["logins"]) & set(dest["logins"])) - {dev})
            if shared:
                raise _conflict(f"The identities to merge are linked to different users of {shared[0]}.")
            total = len(moved) + sum(len(subs) for subs in dest["logins"].values())
            if total > MAX_MERGED_LOGINS:
                raise _bad(f"The merged identity would have {total} linked logins; at most {MAX_MERGED_LOGINS} "
                           "are allowed.")
            self._remove_identity(pool, src)
            for p, s in moved:
                self._link(pool, dest, p, s, now)
            self._changed(pool)
        return {"IdentityId": dst}

    def op_UnlinkDeveloperIdentity(self, params, caller):
        pool = self.pool(params["IdentityPoolId"])
        dev = self._dev_provider(pool, params["DeveloperProviderName"])
        iid = params["IdentityId"]
        if iid not in pool["identities"]:
            raise _missing(f"Identity '{iid}' not found.")
        uid = params["DeveloperUserIdentifier"]
        if self._dev_owner(pool, dev, uid) != iid:
            raise _missing("The developer user identifier is not linked to this identity.")
        ident = pool["identities"][iid]
        self._unlink(pool, ident, dev, uid, self.clock())
        self._lost_last_login(ident)
        self._changed(pool)
        return None

    @staticmethod
    def _lost_last_login(ident):
        """UnlinkIdentity and UnlinkDeveloperIdentity references: "Removing the last linked login
        will make this identity inaccessible." It stays listed and described; GetCredentialsForIdentity,
        GetOpenIdToken and GetOpenIdTokenForDeveloperIdentity refuse it (GetId cannot name it)."""
        if not ident["logins"]:
            ident["inaccessible"] = True

    def op_UnlinkIdentity(self, params, caller):
        pool, ident = self._public_identity(params)
        resolved = self._check_logins_for(pool, ident, params["Logins"])
        if not resolved:
            raise _denied(LOGINS_DONT_MATCH)
        now = self.clock()
        for prov in params["LoginsToRemove"]:
            if prov not in ident["logins"]:
                raise _bad(f"The login provider {prov} is not linked to this identity.")
            for sub in list(ident["logins"][prov]):
                self._unlink(pool, ident, prov, sub, now)
        self._lost_last_login(ident)
        self._changed(pool)
        return None

    def op_GetIdentityPoolRoles(self, params, caller):
        pool = self.pool(params["IdentityPoolId"])
        out = {"IdentityPoolId": pool["IdentityPoolId"], "Roles": dict(pool["roles"])}
        if pool["role_mappings"]:
            out["RoleMappings"] = json.loads(json.dumps(pool["role_mappings"]))
        return out

    @staticmethod
    def _role_arn_ok(arn):
        """A malformed role ARN or a bare role name is refused as the service refuses it
        (aws-cognito-angular-quickstart#35, boto3#73, aws-sdk-js#908). A well-formed ARN of a role
        that does not exist is accepted: nothing shows the service checking existence here."""
        if not ROLE_ARN.fullmatch(arn):
            raise _denied(f"Access to Role '{arn}' is forbidden.")

    @staticmethod
    def _mapping_providers(pool):
        """The RoleMappings keys a pool accepts: its login providers, a user pool as
        "PROVIDER:CLIENTID" for each configured app client."""
        c = pool["config"]
        keys = set(c.get("SupportedLoginProviders") or {})
        keys |= {f"{p.get('ProviderName')}:{p.get('ClientId')}" for p in c.get("CognitoIdentityProviders") or []}
        keys |= {arn.split("oidc-provider/", 1)[-1] for arn in c.get("OpenIdConnectProviderARNs") or []}
        keys |= set(c.get("SamlProviderARNs") or [])
        return keys

    def op_SetIdentityPoolRoles(self, params, caller):
        pool = self.pool(params["IdentityPoolId"])
        for arn in params["Roles"].values():
            self._role_arn_ok(arn)
        mappings = params.get("RoleMappings") or {}
        providers = self._mapping_providers(pool)
        for prov in mappings:
            if prov not in providers:
                # aws-cdk#22951, aws-cdk#7670 (a user pool key needs its ":CLIENTID")
                raise _bad(f"({prov}) is not a valid RoleMapping ProviderName or is not a configured provider.")
        for prov, m in mappings.items():
            # API reference, RoleMapping: "If you specify Token or Rules as the Type,
            # AmbiguousRoleResolution is required." Rules needs RulesConfiguration.
            if not m.get("AmbiguousRoleResolution"):
                raise _bad(f"AmbiguousRoleResolution is required for the role mapping of {prov}.")
            if m["Type"] == "Rules":
                rules = (m.get("RulesConfiguration") or {}).get("Rules")
                if not rules:
                    raise _bad(f"RulesConfiguration is required for the Rules role mapping of {prov}.")
                if len(rules) > MAX_RULES:
                    raise _bad(f"The role mapping of {prov} has {len(rules)} rules; at most {MAX_RULES} are allowed.")
                for r in rules:
                    self._role_arn_ok(r["RoleARN"])
        pool["roles"] = dict(params["Roles"])
        pool["role_mappings"] = json.loads(json.dumps(mappings))
        self._changed(pool)
        return None

    def op_GetPrincipalTagAttributeMap(self, params, caller):
        pool = self.pool(params["IdentityPoolId"])
        prov = params["IdentityProviderName"]
        m = pool["principal_tags"].get(prov, {"UseDefaults": False, "PrincipalTags": {}})
        return {"IdentityPoolId": pool["IdentityPoolId"], "IdentityProviderName": prov,
                "UseDefaults": m["UseDefaults"], "PrincipalTags": dict(m["PrincipalTags"])}

    def op_SetPrincipalTagAttributeMap(self, params, caller):
        pool = self.pool(params["IdentityPoolId"])
        prov = params["IdentityProviderName"]
        if prov not in self._providers(pool) or prov == OWN_PROVIDER:
            raise _bad(f"The identity provider {prov} is not configured for this identity pool.")
        m = {"UseDefaults": bool(params.get("UseDefaults", False)),
             "PrincipalTags": dict(params.get("PrincipalTags") or {})}
        pool["principal_tags"][prov] = m
        self._changed(pool)
        return {"IdentityPoolId": pool["IdentityPoolId"], "IdentityProviderName": prov, "UseDefaults": m["UseDefaults"],
                "PrincipalTags": dict(m["PrincipalTags"])}

    def op_TagResource(self, params, caller):
        pool = self.pool_from_arn(params["ResourceArn"])
        tags = dict(pool["tags"])
        tags.update(params["Tags"])
        if len(tags) > MAX_TAGS:
            raise _bad(f"A resource can have at most {MAX_TAGS} tags.")
        for k in tags:
            if k.lower().startswith("aws:"):
                raise _bad("Tag keys starting with 'aws:' are reserved.")
        pool["tags"] = tags
        self._changed(pool)
        return {}

    def op_UntagResource(self, params, caller):
        pool = self.pool_from_arn(params["ResourceArn"])
        for k in params["TagKeys"]:
            pool["tags"].pop(k, None)
        self._changed(pool)
        return {}

    def op_ListTagsForResource(self, params, caller):
        pool = self.pool_from_arn(params["ResourceArn"])
        return {"Tags": dict(pool["tags"])}


def _rule_matches(rule, claims):
    v = claims.get(rule["Claim"])
    if isinstance(v, list):
        v = ",".join(str(x) for x in v)
    if v is None:
        # "The claim name that must be present in the token" (AWS::Cognito::IdentityPoolRoleAttachment
        # MappingRule): an absent claim matches no rule, NotEqual included (issue 15).
        return False
    v = str(v)
    t, want = rule["MatchType"], rule["Value"]
    return (t == "Equals" and v == want) or (t == "NotEqual" and v != want) or (
        t == "Contains" and want in v) or (t == "StartsWith" and v.startswith(want))
