"""Issue 10: what the emulator now refuses as the service does (each of these passed on the old,
lenient emulator), and GetCredentialsForIdentity assuming the role as STS would."""
import json
import os
import sys
import time
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
import jwt  # noqa: E402

ROLE = "arn:aws:iam::123456789012:role/"
FB = "graph.facebook.com"
UP = "us-east-1_AbCdEfGhI"
UP_PROVIDER = f"cognito-idp.us-east-1.amazonaws.com/{UP}"
POOL_ARN = "arn:aws:cognito-identity:us-east-1:123456789012:identitypool/"


def trust(pool_id=None, amr=None, actions=("sts:AssumeRoleWithWebIdentity",), principal=None, deny=False):
    cond = {}
    if pool_id:
        cond["StringEquals"] = {"cognito-identity.amazonaws.com:aud": pool_id}
    if amr:
        cond["ForAnyValue:StringLike"] = {"cognito-identity.amazonaws.com:amr": amr}
    stmt = {"Effect": "Allow", "Principal": principal or {"Federated": "cognito-identity.amazonaws.com"},
            "Action": list(actions)}
    if cond:
        stmt["Condition"] = cond
    stmts = [stmt]
    if deny:
        stmts.append(dict(stmt, Effect="Deny"))
    return json.dumps({"Version": "2012-10-17", "Statement": stmts})


class Refusals(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emu = harness.Emulator("--seed", "demo", "--identities", "40")
        cls.addClassCleanup(cls.emu.stop)
        cls.n = 0

    def pool(self, **kw):
        Refusals.n += 1
        req = {"IdentityPoolName": f"refusals {self.n}", "AllowUnauthenticatedIdentities": True,
               "SupportedLoginProviders": {FB: "1"}, "DeveloperProviderName": "login.refusals"}
        req.update(kw)
        return self.emu.ok("CreateIdentityPool", req)["IdentityPoolId"]

    def role(self, name, doc):
        s, _, _ = self.emu.query("iam", "CreateRole", {"RoleName": name, "AssumeRolePolicyDocument": doc})
        if s != 200:
            self.emu.iam("UpdateAssumeRolePolicy", {"RoleName": name, "PolicyDocument": doc})
        return ROLE + name

    def refused(self, op, payload, code, message=None, sign=False):
        s, h, b = self.emu.call(op, payload, sign=sign)
        self.assertEqual((s, b.get("__type")), (400, code), b)
        if message is not None:
            self.assertEqual(b["message"], message)
        self.assertEqual(h["x-amzn-errormessage"], b.get("message", b.get("Message")))  # on every error
        return b

    def get_id(self, pid, logins=None):
        p = {"IdentityPoolId": pid}
        if logins:
            p["Logins"] = logins
        return self.emu.ok("GetId", p, sign=False)["IdentityId"]

    def creds(self, iid, logins=None, **extra):
        p = dict({"IdentityId": iid}, **extra)
        if logins:
            p["Logins"] = logins
        return self.emu.call("GetCredentialsForIdentity", p, sign=False)

    # -- GetId, GetOpenIdToken, developer identities ----------------------------------------
    def test_get_id_refuses_a_cognito_token(self):
        pid = self.pool()
        tok = self.emu.ok("GetOpenIdTokenForDeveloperIdentity", {"IdentityPoolId": pid,
                                                                 "Logins": {"login.refusals": "u1"}})["Token"]
        self.refused("GetId", {"IdentityPoolId": pid, "Logins": {"cognito-identity.amazonaws.com": tok}},
                     "NotAuthorizedException", "Invalid login token. Can't pass in a Cognito token.")

    def test_classic_flow_off_refuses_get_open_id_token(self):
        off, unset, on = self.pool(AllowClassicFlow=False), self.pool(), self.pool(AllowClassicFlow=True)
        self.refused("GetOpenIdToken", {"IdentityId": self.get_id(off)}, "InvalidParameterException",
                     "Basic (classic) flow is not enabled, please use enhanced flow.")
        for pid in (unset, on):  # never set: served, as AWS did in aws-cli#7652
            self.assertTrue(self.emu.ok("GetOpenIdToken", {"IdentityId": self.get_id(pid)}, sign=False)["Token"])

    def test_developer_token_for_an_identity_with_other_logins_needs_one_of_them(self):
        pid = self.pool()
        iid = self.get_id(pid, {FB: "fb-dana"})
        self.refused("GetOpenIdTokenForDeveloperIdentity", {"IdentityPoolId": pid, "IdentityId": iid,
                                                            "Logins": {"login.refusals": "dana"}},
                     "NotAuthorizedException", "Logins don't match. Please include at least one valid login "
                                               "for this identity or identity pool.", sign=True)
        out = self.emu.ok("GetOpenIdTokenForDeveloperIdentity", {"IdentityPoolId": pid, "IdentityId": iid, "Logins": {
            "login.refusals": "dana", FB: "fb-dana"}})
        self.assertEqual(out["IdentityId"], iid)
        # once linked, the developer user id alone is enough
        self.emu.ok("GetOpenIdTokenForDeveloperIdentity", {"IdentityPoolId": pid, "IdentityId": iid,
                                                           "Logins": {"login.refusals": "dana"}})
        # an identity with developer logins only takes another developer user id
        dev = self.emu.ok("GetOpenIdTokenForDeveloperIdentity", {"IdentityPoolId": pid,
                                                                 "Logins": {"login.refusals": "d1"}})["IdentityId"]
        self.emu.ok("GetOpenIdTokenForDeveloperIdentity", {"IdentityPoolId": pid, "IdentityId": dev,
                                                           "Logins": {"login.refusals": "d2"}})

    def test_developer_tokens_name_the_developer_user_in_amr(self):
        pid = self.pool()
        out = self.emu.ok("GetOpenIdTokenForDeveloperIdentity", {"IdentityPoolId": pid,
                                                                 "Logins": {"login.refusals": "erin"}})
        claims = jwt.unverified_claims(out["Token"])
        self.assertEqual(claims["amr"], ["authenticated", "login.refusals", f"login.refusals:{pid}:erin"])
        self.assertEqual(claims["exp"] - claims["iat"], 900)
        self.assertEqual(jwt.unverified_header(out["Token"]), {"kid": "us-east-11", "typ": "JWS", "alg": "RS512"})

    # -- SetIdentityPoolRoles -------------------------------------------------------------------
    def test_role_mappings_name_configured_providers_only(self):
        pid = self.pool(CognitoIdentityProviders=[{"ProviderName": UP_PROVIDER, "ClientId": "app1"}])
        mapping = {"Type": "Token", "AmbiguousRoleResolution": "Deny"}
        for key in ("accounts.google.com", UP_PROVIDER, f"{UP_PROVIDER}:other-app"):
            self.refused("SetIdentityPoolRoles", {"IdentityPoolId": pid, "Roles": {}, "RoleMappings": {key: mapping}},
                         "InvalidParameterException",
                         f"({key}) is not a valid RoleMapping ProviderName or is not a configured provider.", sign=True)
        self.emu.ok("SetIdentityPoolRoles", {"IdentityPoolId": pid, "Roles": {},
                                             "RoleMappings": {f"{UP_PROVIDER}:app1": mapping, FB: mapping}})

    def test_malformed_role_arns_are_forbidden_but_missing_roles_are_accepted(self):
        pid = self.pool()
        for bad in ("my-stack-SomeRole-KBKHTR8P6UC2", "arn:aws:iam::180971085012ole/x", "arn:aws:s3:::a-bucket-name"):
            self.refused("SetIdentityPoolRoles", {"IdentityPoolId": pid, "Roles": {"authenticated": bad}},
                         "NotAuthorizedException", f"Access to Role '{bad}' is forbidden.", sign=True)
        rules = {FB: {"Type": "Rules", "AmbiguousRoleResolution": "Deny", "RulesConfiguration": {"Rules": [
            {"Claim": "c", "MatchType": "Equals", "Value": "v", "RoleARN": "RuleRoleNameWithoutArn"}]}}}
        self.refused("SetIdentityPoolRoles", {"IdentityPoolId": pid, "Roles": {}, "RoleMappings": rules},
                     "NotAuthorizedException", "Access to Role 'RuleRoleNameWithoutArn' is forbidden.", sign=True)
        self.emu.ok("SetIdentityPoolRoles", {"IdentityPoolId": pid, "Roles": {"authenticated": ROLE + "NoSuchRole"}})

    # -- unlinking the last login, merging ------------------------------------------------------------
    def test_unlinking_the_last_login_makes_the_identity_inaccessible(self):
        pid = self.pool()
        self.emu.ok("SetIdentityPoolRoles", {"IdentityPoolId": pid, "Roles": {
            "authenticated": self.role("RefusalsAny", trust())}})
        iid = self.get_id(pid, {FB: "fb-frank"})
        self.assertEqual(self.creds(iid, {FB: "fb-frank"})[0], 200)
        self.emu.ok("UnlinkIdentity", {"IdentityId": iid, "Logins": {FB: "fb-frank"}, "LoginsToRemove": [FB]},
                    sign=False)
        forbidden = f"Access to Identity '{iid}' is forbidden."
        self.refused("GetCredentialsForIdentity", {"IdentityId": iid}, "NotAuthorizedException", forbidden)
        self.refused("GetOpenIdToken", {"IdentityId": iid}, "NotAuthorizedException", forbidden)
        self.refused("GetOpenIdTokenForDeveloperIdentity", {"IdentityPoolId": pid, "IdentityId": iid,
                                                            "Logins": {"login.refusals": "frank"}},
                     "NotAuthorizedException", forbidden, sign=True)
        self.assertEqual(self.emu.ok("DescribeIdentity", {"IdentityId": iid})["Logins"], [])  # still there
        self.assertNotEqual(self.get_id(pid, {FB: "fb-frank"}), iid)  # the login is a new identity now
        dev = self.emu.ok("GetOpenIdTokenForDeveloperIdentity", {"IdentityPoolId": pid,
                                                                 "Logins": {"login.refusals": "gus"}})["IdentityId"]
        self.emu.ok("UnlinkDeveloperIdentity", {"IdentityPoolId": pid, "IdentityId": dev,
                                                "DeveloperProviderName": "login.refusals",
                                                "DeveloperUserIdentifier": "gus"})
        self.refused("GetOpenIdToken", {"IdentityId": dev}, "NotAuthorizedException",
                     f"Access to Identity '{dev}' is forbidden.")

    def test_merge_refuses_users_of_one_public_provider_and_more_than_20_logins(self):
        pid = self.pool()
        a = self.get_id(pid, {FB: "fb-a"})
        b = self.get_id(pid, {FB: "fb-b"})
        self.emu.ok("GetOpenIdTokenForDeveloperIdentity", {"IdentityPoolId": pid, "IdentityId": a,
                                                           "Logins": {"login.refusals": "ua", FB: "fb-a"}})
        self.emu.ok("GetOpenIdTokenForDeveloperIdentity", {"IdentityPoolId": pid, "IdentityId": b,
                                                           "Logins": {"login.refusals": "ub", FB: "fb-b"}})
        merge = {"IdentityPoolId": pid, "DeveloperProviderName": "login.refusals", "SourceUserIdentifier": "ub",
                 "DestinationUserIdentifier": "ua"}
        self.refused("MergeDeveloperIdentities", merge, "ResourceConflictException", sign=True)
        for i in range(12):
            self.emu.ok("GetOpenIdTokenForDeveloperIdentity", {"IdentityPoolId": pid,
                                                               "Logins": {"login.refusals": f"many-{i}"}})
            if i:
                self.emu.ok("MergeDeveloperIdentities", dict(merge, SourceUserIdentifier=f"many-{i}",
                                                             DestinationUserIdentifier="many-0"))
        other = self.emu.ok("GetOpenIdTokenForDeveloperIdentity", {"IdentityPoolId": pid,
                                                                   "Logins": {"login.refusals": "other-0"}})["IdentityId"]
        for i in range(1, 9):
            self.emu.ok("GetOpenIdTokenForDeveloperIdentity", {"IdentityPoolId": pid, "IdentityId": other,
                                                               "Logins": {"login.refusals": f"other-{i}"}})
        b = self.refused("MergeDeveloperIdentities", dict(merge, SourceUserIdentifier="other-0",
                                                          DestinationUserIdentifier="many-0"),
                         "InvalidParameterException", sign=True)  # 12 + 9 = 21 linked logins
        self.assertIn("21", b["message"])

    # -- IAM's denials --------------------------------------------------------------------------------
    def test_iam_denials_name_the_resource_with_a_capital_message(self):
        big = self.emu.pool_id("big-pool")
        s, _, b = self.emu.call("ListIdentityPools", {"MaxResults": 5}, key=harness.READ_KEY)
        self.assertEqual(s, 200)
        for op, payload, resource in (
                ("DeleteIdentityPool", {"IdentityPoolId": big}, POOL_ARN + big),
                ("CreateIdentityPool", {"IdentityPoolName": "x", "AllowUnauthenticatedIdentities": False}, POOL_ARN)):
            s, h, b = self.emu.call(op, payload, key=harness.READ_KEY)
            self.assertEqual(b, {"__type": "AccessDeniedException", "Message": "User: arn:aws:iam::123456789012:user/"
                                 f"auditor is not authorized to perform: cognito-identity:{op} on resource: {resource}"})
            self.assertEqual(h["x-amzn-errormessage"], b["Message"])
        # a pool id where the ARN belongs: denied, even to the full key (aws-sdk-ruby#2173)
        s, _, b = self.emu.call("ListTagsForResource", {"ResourceArn": big})
        self.assertEqual(b["__type"], "AccessDeniedException")
        self.assertTrue(b["Message"].endswith(f"cognito-identity:ListTagsForResource on resource: {big}"))

    def test_vended_credentials_reach_neither_cognito_nor_iam(self):
        big = self.emu.pool_id("big-pool")
        c = self.creds(self.get_id(big))[2]["Credentials"]
        key, tok = (c["AccessKeyId"], c["SecretKey"]), c["SessionToken"]
        s, _, b = self.emu.call("ListIdentityPools", {"MaxResults": 5}, key=key, session_token=tok)
        self.assertEqual(b["__type"], "AccessDeniedException")
        self.assertIn("assumed-role/Cognito_bigpoolUnauth_Role/CognitoIdentityCredentials", b["Message"])
        s, _, root = self.emu.query("iam", "GetRole", {"RoleName": "DemoAdmin"}, key=key, session_token=tok)
        self.assertEqual((s, harness.strip_ns(root).findtext("Error/Code")), (403, "AccessDenied"))


class Trust(unittest.TestCase):
    """GetCredentialsForIdentity assumes the chosen role as STS would."""

    @classmethod
    def setUpClass(cls):
        cls.emu = harness.Emulator("--seed", "demo", "--identities", "40")
        cls.addClassCleanup(cls.emu.stop)
        cls.pid = cls.emu.ok("CreateIdentityPool", {
            "IdentityPoolName": "trust", "AllowUnauthenticatedIdentities": True, "SupportedLoginProviders": {FB: "1"},
            "CognitoIdentityProviders": [{"ProviderName": UP_PROVIDER, "ClientId": "app1"}]})["IdentityPoolId"]
        cls.guest = cls.emu.ok("GetId", {"IdentityPoolId": cls.pid}, sign=False)["IdentityId"]
        cls.user = cls.emu.ok("GetId", {"IdentityPoolId": cls.pid, "Logins": {FB: "fb-user"}}, sign=False)["IdentityId"]

    def set_role(self, name, doc, kind="authenticated", **roles_extra):
        s, _, _ = self.emu.query("iam", "CreateRole", {"RoleName": name, "AssumeRolePolicyDocument": doc})
        if s != 200:
            self.emu.iam("UpdateAssumeRolePolicy", {"RoleName": name, "PolicyDocument": doc})
        self.emu.ok("SetIdentityPoolRoles", dict({"IdentityPoolId": self.pid, "Roles": {kind: ROLE + name}},
                                                 **roles_extra))

    def creds(self, iid, logins=None, **extra):
        p = dict({"IdentityId": iid}, **extra)
        if logins:
            p["Logins"] = logins
        return self.emu.call("GetCredentialsForIdentity", p, sign=False)

    def assert_refused(self, iid, logins=None, **extra):
        s, _, b = self.creds(iid, logins, **extra)
        self.assertEqual(b, {"__type": "InvalidIdentityPoolConfigurationException",
                             "message": "Invalid identity pool configuration. Check assigned IAM roles for this pool."})

    def test_the_role_must_exist(self):
        self.emu.ok("SetIdentityPoolRoles", {"IdentityPoolId": self.pid, "Roles": {"unauthenticated": ROLE + "Ghost"}})
        self.assert_refused(self.guest)

    def test_the_trust_policy_must_allow_this_pool_and_kind(self):
        cases = [
            ("for this pool and amr", trust(self.pid, "unauthenticated"), True),
            ("no conditions at all", trust(), True),
            ("another pool", trust("us-east-1:00000000-0000-4000-8000-000000000000", "unauthenticated"), False),
            ("the wrong amr", trust(self.pid, "authenticated"), False),
            ("sts:AssumeRole instead", trust(self.pid, actions=("sts:AssumeRole",)), False),
            ("another principal", trust(principal={"Service": "lambda.amazonaws.com"}), False),
            ("an explicit deny", trust(self.pid, deny=True), False),
            ("a wildcard action", trust(self.pid, actions=("sts:*",)), True),
        ]
        for what, doc, works in cases:
            with self.subTest(what):
                self.set_role("TrustGuest", doc, "unauthenticated")
                if works:
                    s, _, b = self.creds(self.guest)
                    self.assertEqual(s, 200, b)
                else:
                    self.assert_refused(self.guest)

    def test_principal_tags_need_sts_tag_session(self):
        self.set_role("TrustTagged", trust(self.pid, "authenticated"))
        self.assertEqual(self.creds(self.user, {FB: "fb-user"})[0], 200)
        self.emu.ok("SetPrincipalTagAttributeMap", {"IdentityPoolId": self.pid, "IdentityProviderName": FB,
                                                    "PrincipalTags": {"user": "sub"}})
        try:
            self.assert_refused(self.user, {FB: "fb-user"})
            self.set_role("TrustTagged", trust(self.pid, "authenticated",
                                               ("sts:AssumeRoleWithWebIdentity", "sts:TagSession")))
            self.assertEqual(self.creds(self.user, {FB: "fb-user"})[0], 200)
        finally:
            self.emu.ok("SetPrincipalTagAttributeMap", {"IdentityPoolId": self.pid, "IdentityProviderName": FB,
                                                        "PrincipalTags": {}, "UseDefaults": False})

    def test_assuming_records_role_last_used(self):
        self.set_role("TrustUsed", trust(self.pid), "unauthenticated")
        self.assertEqual(self.creds(self.guest)[0], 200)
        used = self.emu.iam("GetRole", {"RoleName": "TrustUsed"}).find("GetRoleResult/Role/RoleLastUsed")
        self.assertEqual(used.findtext("Region"), "us-east-1")
        self.assertTrue(used.findtext("LastUsedDate"))

    def test_custom_role_arn_chooses_only_among_the_roles_the_token_allows(self):
        doc = trust(self.pid, "authenticated")
        for name in ("PickA", "PickB", "PickC", "PickDefault"):
            self.emu.query("iam", "CreateRole", {"RoleName": name, "AssumeRolePolicyDocument": doc})
        key = f"{UP_PROVIDER}:app1"
        self.emu.ok("SetIdentityPoolRoles", {"IdentityPoolId": self.pid, "Roles": {"authenticated": ROLE + "PickDefault"},
                                             "RoleMappings": {key: {"Type": "Token",
                                                                    "AmbiguousRoleResolution": "AuthenticatedRole"}}})
        tok = self.emu.idp_token(UP, "app1", "picker", claims={"cognito:roles": [ROLE + "PickA", ROLE + "PickB"],
                                                               "cognito:preferred_role": ROLE + "PickA"})
        logins = {UP_PROVIDER: tok}
        iid = self.emu.ok("GetId", {"IdentityPoolId": self.pid, "Logins": logins}, sign=False)["IdentityId"]

        def role(**extra):
            s, _, b = self.creds(iid, logins, **extra)
            self.assertEqual(s, 200, b)
            return self.emu.caller_arn(b["Credentials"]).split("/")[1]

        self.assertEqual(role(), "PickA")
        self.assertEqual(role(CustomRoleArn=ROLE + "PickB"), "PickB")
        self.assertEqual(role(CustomRoleArn=ROLE + "PickC"), "PickA")  # not in cognito:roles: ignored
        # without a mapping the token's claims allow nothing: CustomRoleArn cannot pick a role
        fb = self.emu.ok("GetId", {"IdentityPoolId": self.pid, "Logins": {FB: "fb-picker"}}, sign=False)["IdentityId"]
        s, _, b = self.creds(fb, {FB: "fb-picker"}, CustomRoleArn=ROLE + "PickC")
        self.assertEqual(self.emu.caller_arn(b["Credentials"]).split("/")[1], "PickDefault")


class DemoRoles(unittest.TestCase):
    """The demo seed's roles: the healthy pool works, the planted flaws fail as AWS would."""

    @classmethod
    def setUpClass(cls):
        cls.emu = harness.Emulator("--seed", "demo", "--identities", "40")
        cls.addClassCleanup(cls.emu.stop)

    def creds(self, pool, logins=None):
        pid = self.emu.pool_id(pool)
        p = {"IdentityPoolId": pid}
        if logins:
            p["Logins"] = logins
        iid = self.emu.ok("GetId", p, sign=False)["IdentityId"]
        q = {"IdentityId": iid}
        if logins:
            q["Logins"] = logins
        return self.emu.call("GetCredentialsForIdentity", q, sign=False)

    def test_healthy_and_flawed_pools(self):
        up = "cognito-idp.us-east-1.amazonaws.com/us-east-1_DemoPool1"
        tok = self.emu.idp_token("us-east-1_DemoPool1", "demoappclient1", "alice", claims={"custom:dept": "eng"})
        ok = [("big-pool", None, "Cognito_bigpoolUnauth_Role"),
              ("big-pool", {up: tok}, "Cognito_bigpoolAuth_Role"),  # principal tags: the role allows TagSession
              ("mobile-app", None, "MobileGuestReadOnly"),
              ("mobile-app", {"www.amazon.com": "amzn-demo"}, "MobileAuth")]
        for pool, logins, role in ok:
            with self.subTest(pool=pool, logins=bool(logins)):
                s, _, b = self.creds(pool, logins)
                self.assertEqual(s, 200, b)
                self.assertIn(f"assumed-role/{role}/", self.emu.caller_arn(b["Credentials"]))
        def unsigned(claims):
            return ".".join([jwt.b64url(b'{"alg":"none"}'), jwt.b64url(json.dumps(claims).encode()), "x"])

        beta = unsigned({"sub": "beta-1", "aud": "beta-app"})
        partner = unsigned({"sub": "p-new", "iss": "https://login.partner.example.com", "aud": "partner-portal-client",
                            "exp": int(time.time()) + 600, "cognito:preferred_role": ROLE + "PartnerAuth"})
        flawed = [("mobile-app", {"www.amazon.com": beta}),  # MobileBeta trusts amr unauthenticated
                  ("partner-portal", {"login.partner.example.com": partner}),  # principal tags, no TagSession
                  ("escape-tests", None)]  # names EscapeAuth, which does not exist
        for pool, logins in flawed:
            with self.subTest(pool=pool):
                s, _, b = self.creds(pool, logins)
                self.assertEqual(b["__type"], "InvalidIdentityPoolConfigurationException", b)
        s, _, b = self.emu.call("GetId", {"IdentityPoolId": self.emu.pool_id("empty-pool")}, sign=False)
        self.assertEqual(b["__type"], "NotAuthorizedException")  # no guests; no roles either
        trust_doc = self.emu.iam("GetRole", {"RoleName": "MobileAuth"}).findtext("GetRoleResult/Role/"
                                                                                  "AssumeRolePolicyDocument")
        self.assertNotIn("aud", urllib.parse.unquote(trust_doc))
        # a registered OIDC provider checks the audience of a JWT
        wrong = unsigned({"sub": "p-x", "iss": "https://login.partner.example.com", "aud": "someone-else"})
        s, _, b = self.emu.call("GetId", {"IdentityPoolId": self.emu.pool_id("partner-portal"),
                                          "Logins": {"login.partner.example.com": wrong}}, sign=False)
        self.assertEqual(b, {"__type": "NotAuthorizedException", "message": "Invalid login token. Incorrect token audience."})


if __name__ == "__main__":
    unittest.main()
