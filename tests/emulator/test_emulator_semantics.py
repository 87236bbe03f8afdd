"""Service semantics of the 23 operations, on a fresh emulator per class."""
import json
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
import jwt  # noqa: E402

ARN = "arn:aws:cognito-identity:us-east-1:123456789012:identitypool/"
ROLE = "arn:aws:iam::123456789012:role/"


def fake_jwt(claims):
    """An unsigned third-party-looking JWT (the emulator cannot check third-party signatures)."""
    import json

    return ".".join([jwt.b64url(b'{"alg":"none"}'), jwt.b64url(json.dumps(claims).encode()), "sig"])


class Pools(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emu = harness.Emulator()

    @classmethod
    def tearDownClass(cls):
        cls.emu.stop()

    def create(self, **kw):
        req = {"IdentityPoolName": "pool one", "AllowUnauthenticatedIdentities": True}
        req.update(kw)
        return self.emu.ok("CreateIdentityPool", req)

    def test_create_describe_delete(self):
        p = self.create(SupportedLoginProviders={"graph.facebook.com": "123"}, IdentityPoolTags={"k": "v"})
        self.assertRegex(p["IdentityPoolId"], r"^us-east-1:[0-9a-f-]{36}$")
        d = self.emu.ok("DescribeIdentityPool", {"IdentityPoolId": p["IdentityPoolId"]})
        self.assertEqual(d["SupportedLoginProviders"], {"graph.facebook.com": "123"})
        self.assertEqual(d["IdentityPoolTags"], {"k": "v"})
        self.emu.ok("DeleteIdentityPool", {"IdentityPoolId": p["IdentityPoolId"]})
        s, _, b = self.emu.call("DescribeIdentityPool", {"IdentityPoolId": p["IdentityPoolId"]})
        self.assertEqual(b["__type"], "ResourceNotFoundException")
        s, _, b = self.emu.call("DeleteIdentityPool", {"IdentityPoolId": p["IdentityPoolId"]})
        self.assertEqual(b["__type"], "ResourceNotFoundException")

    def test_update_replaces_what_is_sent_and_resets_the_rest(self):
        p = self.create(SupportedLoginProviders={"graph.facebook.com": "123"}, AllowClassicFlow=True,
                        SamlProviderARNs=["arn:aws:iam::123456789012:saml-provider/X"], IdentityPoolTags={"t": "1"})
        u = self.emu.ok("UpdateIdentityPool", {"IdentityPoolId": p["IdentityPoolId"], "IdentityPoolName": "renamed",
                                               "AllowUnauthenticatedIdentities": False,
                                               "OpenIdConnectProviderARNs": ["arn:aws:iam::123456789012:oidc-provider/x.example"]})
        self.assertEqual(u["IdentityPoolName"], "renamed")
        self.assertFalse(u["AllowUnauthenticatedIdentities"])
        self.assertNotIn("SupportedLoginProviders", u)
        self.assertNotIn("SamlProviderARNs", u)
        self.assertNotIn("AllowClassicFlow", u)
        self.assertEqual(u["OpenIdConnectProviderARNs"], ["arn:aws:iam::123456789012:oidc-provider/x.example"])
        d = self.emu.ok("DescribeIdentityPool", {"IdentityPoolId": p["IdentityPoolId"]})
        self.assertEqual(d, u)

    def test_developer_provider_name_cannot_change(self):
        p = self.create(DeveloperProviderName="login.a")
        s, _, b = self.emu.call("UpdateIdentityPool", {"IdentityPoolId": p["IdentityPoolId"], "IdentityPoolName": "x",
                                                       "AllowUnauthenticatedIdentities": True,
                                                       "DeveloperProviderName": "login.b"})
        self.assertEqual(b["__type"], "InvalidParameterException")

    def test_tags_through_arn_and_pool(self):
        p = self.create(IdentityPoolTags={"a": "1"})
        arn = ARN + p["IdentityPoolId"]
        self.emu.ok("TagResource", {"ResourceArn": arn, "Tags": {"b": "2", "a": "9"}})
        self.assertEqual(self.emu.ok("ListTagsForResource", {"ResourceArn": arn})["Tags"], {"a": "9", "b": "2"})
        self.emu.ok("UntagResource", {"ResourceArn": arn, "TagKeys": ["a", "absent"]})
        self.assertEqual(self.emu.ok("ListTagsForResource", {"ResourceArn": arn})["Tags"], {"b": "2"})
        d = self.emu.ok("DescribeIdentityPool", {"IdentityPoolId": p["IdentityPoolId"]})
        self.assertEqual(d["IdentityPoolTags"], {"b": "2"})
        s, _, b = self.emu.call("ListTagsForResource", {"ResourceArn": ARN + "us-east-1:0000"})
        self.assertEqual(b["__type"], "ResourceNotFoundException")
        s, _, b = self.emu.call("ListTagsForResource", {"ResourceArn": "arn:aws:s3:::some-bucket-name"})
        self.assertEqual(b["__type"], "InvalidParameterException")
        many = {f"k{i}": "v" for i in range(51)}
        s, _, b = self.emu.call("TagResource", {"ResourceArn": arn, "Tags": many})
        self.assertEqual(b["__type"], "InvalidParameterException")

    def test_roles_and_mappings_round_trip_and_reset(self):
        p = self.create(SupportedLoginProviders={"graph.facebook.com": "1"})
        pid = p["IdentityPoolId"]
        mapping = {"graph.facebook.com": {"Type": "Rules", "AmbiguousRoleResolution": "AuthenticatedRole",
                                          "RulesConfiguration": {"Rules": [
                                              {"Claim": "email", "MatchType": "Contains", "Value": "@corp",
                                               "RoleARN": ROLE + "Corp"}]}}}
        self.emu.ok("SetIdentityPoolRoles", {"IdentityPoolId": pid, "Roles": {"authenticated": ROLE + "A"},
                                             "RoleMappings": mapping})
        r = self.emu.ok("GetIdentityPoolRoles", {"IdentityPoolId": pid})
        self.assertEqual(r["Roles"], {"authenticated": ROLE + "A"})
        self.assertEqual(r["RoleMappings"], mapping)
        self.emu.ok("SetIdentityPoolRoles", {"IdentityPoolId": pid, "Roles": {"unauthenticated": ROLE + "U"}})
        r = self.emu.ok("GetIdentityPoolRoles", {"IdentityPoolId": pid})
        self.assertEqual(r["Roles"], {"unauthenticated": ROLE + "U"})
        self.assertNotIn("RoleMappings", r)

    def test_role_mapping_checks(self):
        pid = self.create(SupportedLoginProviders={"graph.facebook.com": "1"})["IdentityPoolId"]
        rule = {"Claim": "c", "MatchType": "Equals", "Value": "v", "RoleARN": ROLE + "R"}
        for mapping, word in (({"Type": "Token"}, "AmbiguousRoleResolution"),
                              ({"Type": "Rules", "AmbiguousRoleResolution": "Deny"}, "RulesConfiguration"),
                              ({"Type": "Rules", "AmbiguousRoleResolution": "Deny",
                                "RulesConfiguration": {"Rules": [rule] * 26}}, "25")):
            s, _, b = self.emu.call("SetIdentityPoolRoles", {"IdentityPoolId": pid, "Roles": {},
                                                             "RoleMappings": {"graph.facebook.com": mapping}})
            self.assertEqual(b["__type"], "InvalidParameterException", mapping)
            self.assertIn(word, b["message"])
        s, _, b = self.emu.call("SetIdentityPoolRoles", {"IdentityPoolId": pid,
                                                         "Roles": {"authenticated": "arn:aws:s3:::not-a-role-arn"}})
        self.assertEqual(b, {"__type": "NotAuthorizedException",
                             "message": "Access to Role 'arn:aws:s3:::not-a-role-arn' is forbidden."})

    def test_principal_tag_map(self):
        pid = self.create(SupportedLoginProviders={"accounts.google.com": "x"})["IdentityPoolId"]
        out = self.emu.ok("SetPrincipalTagAttributeMap", {"IdentityPoolId": pid, "IdentityProviderName":
                                                          "accounts.google.com", "UseDefaults": False,
                                                          "PrincipalTags": {"dept": "hd"}})
        self.assertEqual(out["PrincipalTags"], {"dept": "hd"})
        got = self.emu.ok("GetPrincipalTagAttributeMap", {"IdentityPoolId": pid,
                                                          "IdentityProviderName": "accounts.google.com"})
        self.assertEqual((got["UseDefaults"], got["PrincipalTags"]), (False, {"dept": "hd"}))
        s, _, b = self.emu.call("SetPrincipalTagAttributeMap", {"IdentityPoolId": pid,
                                                                "IdentityProviderName": "graph.facebook.com"})
        self.assertEqual(b["__type"], "InvalidParameterException")


class Identities(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emu = harness.Emulator()
        cls.addClassCleanup(cls.emu.stop)
        cls.jwks = cls.emu.control("GET", "/_emulator/jwks")["keys"][0]
        # The roles these tests name, trusting cognito-identity for every pool (GetCredentialsForIdentity
        # assumes the role as STS would: it must exist and trust the service).
        trust = json.dumps({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"Federated": "cognito-identity.amazonaws.com"},
            "Action": ["sts:AssumeRoleWithWebIdentity", "sts:TagSession"]}]})
        for name in ("Auth", "UnauthReadOnly", "Guest", "GoldReadOnly", "GroupReadOnly"):
            cls.emu.iam("CreateRole", {"RoleName": name, "AssumeRolePolicyDocument": trust})

    @classmethod
    def tearDownClass(cls):
        cls.emu.stop()

    def pool(self, unauth=True, **kw):
        req = {"IdentityPoolName": "ids", "AllowUnauthenticatedIdentities": unauth,
               "SupportedLoginProviders": {"graph.facebook.com": "1", "accounts.google.com": "2"},
               "DeveloperProviderName": "login.test"}
        req.update(kw)
        pid = self.emu.ok("CreateIdentityPool", req)["IdentityPoolId"]
        self.emu.ok("SetIdentityPoolRoles", {"IdentityPoolId": pid, "Roles": {
            "authenticated": ROLE + "Auth", "unauthenticated": ROLE + "UnauthReadOnly"}})
        return pid

    def verify(self, token):
        n = int.from_bytes(jwt.b64url_decode(self.jwks["n"]), "big")
        e = int.from_bytes(jwt.b64url_decode(self.jwks["e"]), "big")
        return jwt.verify_rsa(token, n, e, self.jwks["alg"])

    def test_get_id_is_stable_for_the_same_login(self):
        pid = self.pool()
        a = self.emu.ok("GetId", {"IdentityPoolId": pid, "Logins": {"graph.facebook.com": "alice"}}, sign=False)
        b = self.emu.ok("GetId", {"IdentityPoolId": pid, "Logins": {"graph.facebook.com": "alice"}}, sign=False)
        c = self.emu.ok("GetId", {"IdentityPoolId": pid, "Logins": {"graph.facebook.com": "bob"}}, sign=False)
        self.assertEqual(a, b)
        self.assertNotEqual(a, c)
        d = self.emu.ok("DescribeIdentity", {"IdentityId": a["IdentityId"]})
        self.assertEqual(d["Logins"], ["graph.facebook.com"])
        # a JWT's sub names the user
        t1 = fake_jwt({"sub": "carol", "exp": time.time() + 600})
        t2 = fake_jwt({"sub": "carol", "exp": time.time() + 900})
        e1 = self.emu.ok("GetId", {"IdentityPoolId": pid, "Logins": {"accounts.google.com": t1}}, sign=False)
        e2 = self.emu.ok("GetId", {"IdentityPoolId": pid, "Logins": {"accounts.google.com": t2}}, sign=False)
        self.assertEqual(e1, e2)

    def test_get_id_refusals(self):
        pid = self.pool(unauth=False)
        s, _, b = self.emu.call("GetId", {"IdentityPoolId": pid}, sign=False)
        self.assertEqual(b, {"__type": "NotAuthorizedException",
                             "message": "Unauthenticated access is not supported for this identity pool."})
        s, _, b = self.emu.call("GetId", {"IdentityPoolId": pid, "Logins": {"www.amazon.com": "x"}}, sign=False)
        self.assertEqual(b["__type"], "NotAuthorizedException")
        expired = fake_jwt({"sub": "z", "exp": time.time() - 10})
        s, _, b = self.emu.call("GetId", {"IdentityPoolId": pid, "Logins": {"graph.facebook.com": expired}}, sign=False)
        self.assertEqual(b["__type"], "NotAuthorizedException")
        self.assertIn("expired", b["message"])
        s, _, b = self.emu.call("GetId", {"IdentityPoolId": "us-east-1:00000000-0000-0000-0000-000000000000"}, sign=False)
        self.assertEqual(b["__type"], "ResourceNotFoundException")

    def test_credentials_need_roles_and_work(self):
        pid = self.emu.ok("CreateIdentityPool", {"IdentityPoolName": "noroles",
                                                 "AllowUnauthenticatedIdentities": True})["IdentityPoolId"]
        iid = self.emu.ok("GetId", {"IdentityPoolId": pid}, sign=False)["IdentityId"]
        s, _, b = self.emu.call("GetCredentialsForIdentity", {"IdentityId": iid}, sign=False)
        self.assertEqual(b["__type"], "InvalidIdentityPoolConfigurationException")
        self.emu.ok("SetIdentityPoolRoles", {"IdentityPoolId": pid, "Roles": {"unauthenticated": ROLE + "Guest"}})
        out = self.emu.ok("GetCredentialsForIdentity", {"IdentityId": iid}, sign=False)
        c = out["Credentials"]
        self.assertEqual(set(c), {"AccessKeyId", "SecretKey", "SessionToken", "Expiration"})
        self.assertAlmostEqual(c["Expiration"], time.time() + 3600, delta=60)
        # The identity's role has no cognito-identity rights (c6fc/npk#105): IAM's denial
        status, h, b = self.emu.call("DeleteIdentityPool", {"IdentityPoolId": pid},
                                     key=(c["AccessKeyId"], c["SecretKey"]), session_token=c["SessionToken"])
        self.assertEqual((status, b["__type"]), (400, "AccessDeniedException"))
        arn = f"arn:aws:cognito-identity:us-east-1:123456789012:identitypool/{pid}"
        self.assertEqual(b["Message"], "User: arn:aws:sts::123456789012:assumed-role/Guest/CognitoIdentityCredentials "
                                       f"is not authorized to perform: cognito-identity:DeleteIdentityPool on "
                                       f"resource: {arn}")
        self.assertEqual(h["x-amzn-errormessage"], b["Message"])

    def test_authenticated_identity_needs_its_logins(self):
        pid = self.pool()
        iid = self.emu.ok("GetId", {"IdentityPoolId": pid, "Logins": {"graph.facebook.com": "dave"}},
                          sign=False)["IdentityId"]
        s, _, b = self.emu.call("GetCredentialsForIdentity", {"IdentityId": iid}, sign=False)
        self.assertEqual(b["__type"], "NotAuthorizedException")
        self.assertIn("Logins don't match", b["message"])
        s, _, b = self.emu.call("GetCredentialsForIdentity", {"IdentityId": iid,
                                                              "Logins": {"graph.facebook.com": "eve"}}, sign=False)
        self.assertEqual(b["__type"], "NotAuthorizedException")
        self.emu.ok("GetCredentialsForIdentity", {"IdentityId": iid, "Logins": {"graph.facebook.com": "dave"}},
                    sign=False)

    def test_role_mapping_rules_pick_the_role(self):
        pid = self.pool()
        self.emu.ok("SetIdentityPoolRoles", {"IdentityPoolId": pid, "Roles": {"authenticated": ROLE + "Auth"},
                                             "RoleMappings": {"graph.facebook.com": {
                                                 "Type": "Rules", "AmbiguousRoleResolution": "Deny",
                                                 "RulesConfiguration": {"Rules": [
                                                     {"Claim": "tier", "MatchType": "Equals", "Value": "gold",
                                                      "RoleARN": ROLE + "GoldReadOnly"}]}}}})
        gold = fake_jwt({"sub": "g1", "tier": "gold"})
        iid = self.emu.ok("GetId", {"IdentityPoolId": pid, "Logins": {"graph.facebook.com": gold}},
                          sign=False)["IdentityId"]
        c = self.emu.ok("GetCredentialsForIdentity", {"IdentityId": iid, "Logins": {"graph.facebook.com": gold}},
                        sign=False)["Credentials"]
        # GoldReadOnly: the credentials carry that role's (read-only) access
        s, _, b = self.emu.call("DeleteIdentityPool", {"IdentityPoolId": pid},
                                key=(c["AccessKeyId"], c["SecretKey"]), session_token=c["SessionToken"])
        self.assertEqual(b["__type"], "AccessDeniedException")
        self.assertIn("assumed-role/GoldReadOnly/", b["Message"])
        plain = fake_jwt({"sub": "p1", "tier": "tin"})
        iid = self.emu.ok("GetId", {"IdentityPoolId": pid, "Logins": {"graph.facebook.com": plain}},
                          sign=False)["IdentityId"]
        s, _, b = self.emu.call("GetCredentialsForIdentity", {"IdentityId": iid,
                                                              "Logins": {"graph.facebook.com": plain}}, sign=False)
        self.assertEqual(b["__type"], "NotAuthorizedException")  # Deny on no match

    def test_token_role_mapping_uses_the_preferred_role_claim(self):
        up = "cognito-idp.us-east-1.amazonaws.com/us-east-1_Test1"
        fake_jwt = lambda claims: self.emu.idp_token("us-east-1_Test1", "client1", claims["sub"],  # noqa: E731
                                                     claims=claims)
        pid = self.pool(CognitoIdentityProviders=[{"ProviderName": up, "ClientId": "client1"}])
        self.emu.ok("SetIdentityPoolRoles", {"IdentityPoolId": pid, "Roles": {"authenticated": ROLE + "Auth"},
                                             "RoleMappings": {up + ":client1": {
                                                 "Type": "Token", "AmbiguousRoleResolution": "AuthenticatedRole"}}})

        def creds_for(claims):
            tok = fake_jwt(claims)
            iid = self.emu.ok("GetId", {"IdentityPoolId": pid, "Logins": {up: tok}}, sign=False)["IdentityId"]
            c = self.emu.ok("GetCredentialsForIdentity", {"IdentityId": iid, "Logins": {up: tok}},
                            sign=False)["Credentials"]
            return self.emu.caller_arn(c)

        self.assertIn("assumed-role/GroupReadOnly/", creds_for({
            "sub": "grouped", "cognito:preferred_role": ROLE + "GroupReadOnly", "cognito:roles": [ROLE + "GroupReadOnly"]}))
        # no preferred role: AmbiguousRoleResolution picks Auth
        self.assertIn("assumed-role/Auth/", creds_for({"sub": "plain"}))

    def test_open_id_token_is_a_verifiable_rs512_jwt(self):
        pid = self.pool()
        iid = self.emu.ok("GetId", {"IdentityPoolId": pid}, sign=False)["IdentityId"]
        tok = self.emu.ok("GetOpenIdToken", {"IdentityId": iid}, sign=False)
        self.assertEqual(tok["IdentityId"], iid)
        # RS512 and a kid like AWS's ("us-east-11"), from a real token decoded in aws-sdk-net#420
        self.assertEqual(jwt.unverified_header(tok["Token"]), {"kid": "us-east-11", "typ": "JWS", "alg": "RS512"})
        self.assertEqual((self.jwks["alg"], self.jwks["kid"]), ("RS512", "us-east-11"))
        claims = self.verify(tok["Token"])
        self.assertIsNotNone(claims, "signature does not verify with the published key")
        self.assertEqual((claims["sub"], claims["aud"]), (iid, pid))
        self.assertEqual(claims["iss"], "https://cognito-identity.amazonaws.com")
        self.assertAlmostEqual(claims["exp"] - claims["iat"], 600, delta=1)
        bad = tok["Token"][:-4] + ("AAAA" if not tok["Token"].endswith("AAAA") else "BBBB")
        self.assertIsNone(self.verify(bad))

    def test_developer_identities(self):
        pid = self.pool()
        out = self.emu.ok("GetOpenIdTokenForDeveloperIdentity", {"IdentityPoolId": pid,
                                                                 "Logins": {"login.test": "u1"}, "TokenDuration": 120})
        claims = self.verify(out["Token"])
        self.assertEqual(claims["exp"] - claims["iat"], 120)
        self.assertEqual(claims["aud"], pid)
        iid = out["IdentityId"]
        again = self.emu.ok("GetOpenIdTokenForDeveloperIdentity", {"IdentityPoolId": pid,
                                                                   "Logins": {"login.test": "u1"}})
        self.assertEqual(again["IdentityId"], iid)
        self.assertAlmostEqual(self.verify(again["Token"])["exp"] - time.time(), 900, delta=30)
        # the developer token opens the identity's credentials
        self.emu.ok("GetCredentialsForIdentity", {"IdentityId": iid,
                                                  "Logins": {"cognito-identity.amazonaws.com": out["Token"]}},
                    sign=False)
        # a second user id on the same identity; then another identity
        self.emu.ok("GetOpenIdTokenForDeveloperIdentity", {"IdentityPoolId": pid, "IdentityId": iid,
                                                           "Logins": {"login.test": "u1-alt"}})
        other = self.emu.ok("GetOpenIdTokenForDeveloperIdentity", {"IdentityPoolId": pid,
                                                                   "Logins": {"login.test": "u2"}})["IdentityId"]
        s, _, b = self.emu.call("GetOpenIdTokenForDeveloperIdentity", {"IdentityPoolId": pid, "IdentityId": other,
                                                                       "Logins": {"login.test": "u1"}})
        self.assertEqual(b["__type"], "DeveloperUserAlreadyRegisteredException")
        look = self.emu.ok("LookupDeveloperIdentity", {"IdentityPoolId": pid, "DeveloperUserIdentifier": "u1",
                                                       "MaxResults": 1})
        self.assertEqual(look["IdentityId"], iid)
        self.assertEqual(look["DeveloperUserIdentifierList"], ["u1"])
        nxt = self.emu.ok("LookupDeveloperIdentity", {"IdentityPoolId": pid, "IdentityId": iid, "MaxResults": 1,
                                                      "NextToken": look["NextToken"]})
        self.assertEqual(nxt["DeveloperUserIdentifierList"], ["u1-alt"])
        self.assertNotIn("NextToken", nxt)
        s, _, b = self.emu.call("LookupDeveloperIdentity", {"IdentityPoolId": pid, "DeveloperUserIdentifier": "nobody"})
        self.assertEqual(b["__type"], "ResourceNotFoundException")
        # merge u2 into u1's identity: u2's identity is gone
        m = self.emu.ok("MergeDeveloperIdentities", {"IdentityPoolId": pid, "DeveloperProviderName": "login.test",
                                                     "SourceUserIdentifier": "u2", "DestinationUserIdentifier": "u1"})
        self.assertEqual(m["IdentityId"], iid)
        s, _, b = self.emu.call("DescribeIdentity", {"IdentityId": other})
        self.assertEqual(b["__type"], "ResourceNotFoundException")
        look = self.emu.ok("LookupDeveloperIdentity", {"IdentityPoolId": pid, "IdentityId": iid})
        self.assertEqual(sorted(look["DeveloperUserIdentifierList"]), ["u1", "u1-alt", "u2"])
        # unlink one
        self.emu.ok("UnlinkDeveloperIdentity", {"IdentityPoolId": pid, "IdentityId": iid,
                                                "DeveloperProviderName": "login.test", "DeveloperUserIdentifier": "u2"})
        s, _, b = self.emu.call("UnlinkDeveloperIdentity", {"IdentityPoolId": pid, "IdentityId": iid,
                                                            "DeveloperProviderName": "login.test",
                                                            "DeveloperUserIdentifier": "u2"})
        self.assertEqual(b["__type"], "ResourceNotFoundException")
        s, _, b = self.emu.call("MergeDeveloperIdentities", {"IdentityPoolId": pid, "DeveloperProviderName": "other",
                                                             "SourceUserIdentifier": "u1",
                                                             "DestinationUserIdentifier": "u1-alt"})
        self.assertEqual(b["__type"], "ResourceNotFoundException")

    def test_unlink_identity(self):
        pid = self.pool()
        logins = {"graph.facebook.com": "frank", "accounts.google.com": "frank-g"}
        iid = self.emu.ok("GetId", {"IdentityPoolId": pid, "Logins": logins}, sign=False)["IdentityId"]
        s, _, b = self.emu.call("UnlinkIdentity", {"IdentityId": iid, "Logins": {"graph.facebook.com": "mallory"},
                                                   "LoginsToRemove": ["graph.facebook.com"]}, sign=False)
        self.assertEqual(b["__type"], "NotAuthorizedException")
        self.emu.ok("UnlinkIdentity", {"IdentityId": iid, "Logins": {"graph.facebook.com": "frank"},
                                       "LoginsToRemove": ["graph.facebook.com"]}, sign=False)
        d = self.emu.ok("DescribeIdentity", {"IdentityId": iid})
        self.assertEqual(d["Logins"], ["accounts.google.com"])
        again = self.emu.ok("GetId", {"IdentityPoolId": pid, "Logins": {"graph.facebook.com": "frank"}}, sign=False)
        self.assertNotEqual(again["IdentityId"], iid)

    def test_delete_identities_reports_unprocessed(self):
        pid = self.pool()
        ids = [self.emu.ok("GetId", {"IdentityPoolId": pid}, sign=False)["IdentityId"] for _ in range(3)]
        ghost = "us-east-1:00000000-0000-4000-8000-000000000000"
        out = self.emu.ok("DeleteIdentities", {"IdentityIdsToDelete": ids[:2] + [ghost]})
        self.assertEqual(out["UnprocessedIdentityIds"], [{"IdentityId": ghost, "ErrorCode": "AccessDenied"}])
        listed = self.emu.ok("ListIdentities", {"IdentityPoolId": pid, "MaxResults": 60})["Identities"]
        self.assertEqual([i["IdentityId"] for i in listed], ids[2:])

    def test_disabled_identity_is_refused_credentials(self):
        with harness.Emulator("--seed", "demo", "--identities", "200") as emu:
            pid = emu.pool_id("big-pool")
            everyone = emu.ok("ListIdentities", {"IdentityPoolId": pid, "MaxResults": 60})["Identities"]
            visible = emu.ok("ListIdentities", {"IdentityPoolId": pid, "MaxResults": 60,
                                                "HideDisabled": True})["Identities"]
            hidden = {i["IdentityId"] for i in everyone} - {i["IdentityId"] for i in visible}
            self.assertTrue(hidden)
            s, _, b = emu.call("GetCredentialsForIdentity", {"IdentityId": hidden.pop()}, sign=False)
            self.assertEqual(b["__type"], "NotAuthorizedException")
            self.assertIn("forbidden", b["message"])


if __name__ == "__main__":
    unittest.main()
