"""User pools as token issuers (POST /_emulator/idp/token, GET /POOL/.well-known/jwks.json) and the
identity pool's checks of user-pool logins: ID token, audience, issuer, expiry, signature."""
import json
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
import jwt  # noqa: E402

UP = "us-east-1_AbCdEfGhI"
PROVIDER = f"cognito-idp.us-east-1.amazonaws.com/{UP}"
OTHER = "us-east-1_ZyXwVuTsR"


def jwk_verify(keys, token):
    head = jwt.unverified_header(token)
    for k in keys:
        if k["kid"] == head["kid"]:
            n = int.from_bytes(jwt.b64url_decode(k["n"]), "big")
            e = int.from_bytes(jwt.b64url_decode(k["e"]), "big")
            return jwt.verify_rsa(token, n, e, k["alg"])
    return None


class Issuer(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emu = harness.Emulator()
        cls.addClassCleanup(cls.emu.stop)

    def test_id_and_access_tokens_shaped_as_cognito_issues_them(self):
        before = int(time.time())
        tok = self.emu.idp_token(UP, "client1", "alice", claims={"custom:dept": "eng", "cognito:groups": ["admins"]})
        head = jwt.unverified_header(tok)
        self.assertEqual(set(head), {"kid", "alg"})
        self.assertEqual(head["alg"], "RS256")
        c = jwt.unverified_claims(tok)
        self.assertEqual((c["token_use"], c["aud"], c["cognito:username"], c["iss"]),
                         ("id", "client1", "alice", f"https://{PROVIDER}"))
        self.assertEqual((c["custom:dept"], c["cognito:groups"]), ("eng", ["admins"]))
        self.assertRegex(c["sub"], r"^[0-9a-f-]{36}$")
        self.assertEqual(c["exp"] - c["iat"], 3600)
        self.assertGreaterEqual(c["iat"], before - 5)
        self.assertEqual(c["auth_time"], c["iat"])
        self.assertEqual(jwt.unverified_claims(self.emu.idp_token(UP, "client1", "alice"))["sub"], c["sub"])
        acc = jwt.unverified_claims(self.emu.idp_token(UP, "client1", "alice", token_use="access"))
        self.assertNotIn("aud", acc)
        self.assertEqual((acc["token_use"], acc["client_id"], acc["username"]), ("access", "client1", "alice"))
        self.assertEqual(acc["scope"], "aws.cognito.signin.user.admin")
        gone = jwt.unverified_claims(self.emu.idp_token(UP, "client1", "alice", expires_in=-60))
        self.assertLess(gone["exp"], time.time())

    def test_jwks_at_the_user_pool_path_verifies_both_kinds(self):
        s, h, body = self.emu.request("GET", f"/{UP}/.well-known/jwks.json")
        self.assertEqual(s, 200)
        keys = json.loads(body)["keys"]
        self.assertEqual(len(keys), 2)  # one key for ID tokens, one for access tokens, as user pools have
        self.assertEqual({k["alg"] for k in keys}, {"RS256"})
        self.assertEqual({k["kty"] for k in keys}, {"RSA"})
        for use in ("id", "access"):
            tok = self.emu.idp_token(UP, "client1", "bob", token_use=use)
            self.assertEqual(jwk_verify(keys, tok)["token_use"], use)
            self.assertIsNone(jwk_verify(keys, tok[:-6] + ("AAAAAA" if not tok.endswith("AAAAAA") else "BBBBBB")))
        other = json.loads(self.emu.request("GET", f"/{OTHER}/.well-known/jwks.json")[2])["keys"]
        self.assertIsNone(jwk_verify(other, self.emu.idp_token(UP, "client1", "bob")))
        # the JWKS answer is an operation of its own: faults can target it
        self.emu.set_faults("5xx:503/UserPoolJwks")
        self.assertEqual(self.emu.request("GET", f"/{UP}/.well-known/jwks.json")[0], 503)
        self.assertEqual(self.emu.request("GET", "/not-a-pool/.well-known/jwks.json")[0], 404)

    def test_bad_requests_are_named(self):
        for payload, word in (({"ClientId": "c", "Username": "u"}, "UserPoolId"),
                              ({"UserPoolId": "nope", "ClientId": "c", "Username": "u"}, "UserPoolId"),
                              ({"UserPoolId": UP, "Username": "u"}, "ClientId"),
                              ({"UserPoolId": UP, "ClientId": "c"}, "Username"),
                              ({"UserPoolId": UP, "ClientId": "c", "Username": "u", "TokenUse": "refresh"}, "TokenUse"),
                              ({"UserPoolId": UP, "ClientId": "c", "Username": "u", "Claims": []}, "Claims"),
                              ({"UserPoolId": UP, "ClientId": "c", "Username": "u", "ExpiresIn": "1h"}, "ExpiresIn")):
            s, _, body = self.emu.request("POST", "/_emulator/idp/token", json.dumps(payload).encode())
            self.assertEqual(s, 400, payload)
            self.assertIn(word, json.loads(body)["error"])


class UserPoolLogins(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emu = harness.Emulator()
        cls.addClassCleanup(cls.emu.stop)
        cls.pid = cls.emu.ok("CreateIdentityPool", {
            "IdentityPoolName": "up", "AllowUnauthenticatedIdentities": False,
            "CognitoIdentityProviders": [{"ProviderName": PROVIDER, "ClientId": "client1"},
                                         {"ProviderName": PROVIDER, "ClientId": "client2"}]})["IdentityPoolId"]

    def get_id(self, token, provider=PROVIDER):
        return self.emu.call("GetId", {"IdentityPoolId": self.pid, "Logins": {provider: token}}, sign=False)

    def refused(self, token, words, provider=PROVIDER):
        s, h, b = self.get_id(token, provider)
        self.assertEqual((s, b["__type"]), (400, "NotAuthorizedException"), b)
        self.assertIn(words, b["message"])
        self.assertEqual(h["x-amzn-errormessage"], b["message"])
        return b["message"]

    def test_an_id_token_of_a_configured_client_is_accepted(self):
        for client in ("client1", "client2"):
            s, _, b = self.get_id(self.emu.idp_token(UP, client, "carol"))
            self.assertEqual(s, 200, b)
        a = self.get_id(self.emu.idp_token(UP, "client1", "carol"))[2]["IdentityId"]
        self.assertEqual(a, b["IdentityId"])  # the same user (sub) is the same identity

    def test_an_access_token_is_refused_for_its_missing_aud(self):
        self.assertEqual(self.refused(self.emu.idp_token(UP, "client1", "dave", token_use="access"), "aud"),
                         "Invalid login token. Missing a required claim: aud")

    def test_another_app_client_is_not_a_supported_provider(self):
        self.assertEqual(self.refused(self.emu.idp_token(UP, "client9", "dave"), "supported"),
                         "Token is not from a supported provider of this identity pool.")

    def test_another_user_pools_token_does_not_match_the_provider_name(self):
        self.assertEqual(self.refused(self.emu.idp_token(OTHER, "client1", "dave"), "Issuer"),
                         "Invalid login token. Issuer doesn't match providerName")

    def test_an_expired_token_is_refused(self):
        msg = self.refused(self.emu.idp_token(UP, "client1", "dave", expires_in=-5), "Token expired")
        self.assertRegex(msg, r"^Invalid login token\. Token expired: \d+ >= \d+$")

    def test_a_token_whose_signature_does_not_verify_is_refused(self):
        good = self.emu.idp_token(UP, "client1", "erin")
        head, payload, sig = good.split(".")
        claims = jwt.unverified_claims(good)
        claims["sub"] = "someone-else"
        forged = ".".join([head, jwt.b64url(json.dumps(claims).encode()), sig])
        self.assertEqual(self.refused(forged, "verify"), "Invalid login token. Couldn't verify signed token.")
        unsigned = ".".join([jwt.b64url(b'{"alg":"none"}'), payload, ""])
        self.refused(unsigned, "verify")
        self.refused("not-a-jwt", "Not a valid OpenId Connect identity token")

    def test_claims_drive_rules_role_mappings(self):
        role = "arn:aws:iam::123456789012:role/"
        self.emu.ok("SetIdentityPoolRoles", {"IdentityPoolId": self.pid, "Roles": {"authenticated": role + "Plain"},
                                             "RoleMappings": {f"{PROVIDER}:client1": {
                                                 "Type": "Rules", "AmbiguousRoleResolution": "AuthenticatedRole",
                                                 "RulesConfiguration": {"Rules": [
                                                     {"Claim": "cognito:groups", "MatchType": "Contains",
                                                      "Value": "admins", "RoleARN": role + "Admins"}]}}}})
        trust = json.dumps({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"Federated": "cognito-identity.amazonaws.com"},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {"StringEquals": {"cognito-identity.amazonaws.com:aud": self.pid}}}]})
        for name in ("Plain", "Admins"):
            self.emu.query("iam", "CreateRole", {"RoleName": name, "AssumeRolePolicyDocument": trust})
        for user, claims, want in (("frank", {"cognito:groups": ["staff", "admins"]}, "Admins"),
                                   ("gina", {"cognito:groups": ["staff"]}, "Plain")):
            tok = self.emu.idp_token(UP, "client1", user, claims=claims)
            iid = self.emu.ok("GetId", {"IdentityPoolId": self.pid, "Logins": {PROVIDER: tok}}, sign=False)["IdentityId"]
            c = self.emu.ok("GetCredentialsForIdentity", {"IdentityId": iid, "Logins": {PROVIDER: tok}},
                            sign=False)["Credentials"]
            self.assertIn(f":assumed-role/{want}/", self.emu.caller_arn(c))


if __name__ == "__main__":
    unittest.main()
