"""The credential doctor (issue 15) end to end: every case of the issue's
"Truth" section is run offline (`doctor --format json`), then live
(`doctor --live`), then once more straight against the emulator's
GetId + GetCredentialsForIdentity (STS GetCallerIdentity says which role
was assumed), and the three must agree: the verdict, the failing step (the
service's message mapped to its step), and the role. Tokens are real RS256
user-pool tokens from the emulator's issuer (its key sets served where
AWS_ENDPOINT_URL_COGNITO_IDP points). Also: read-only refuses --live with
nothing sent, --error maps pasted messages, @FILE tokens, usage errors."""
import base64
import json
import os
import tempfile
import time
import unittest

import clitools

ACCT = clitools.ACCOUNT
REGION = clitools.REGION
UP = f"{REGION}_DoctorPoolA"
UP_OTHER = f"{REGION}_DoctorPoolB"
PROVIDER = f"cognito-idp.{REGION}.amazonaws.com/{UP}"
CLIENT = "doctorclient1"


def arn(name):
    return f"arn:aws:iam::{ACCT}:role/{name}"


class DoctorTruth(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emu = clitools.harness.Emulator()
        cls.addClassCleanup(cls.emu.stop)
        cls.cli = clitools.Cli(cls.emu)
        cls.addClassCleanup(cls.cli.cleanup)
        cls.n = 0

    # -- building pools ------------------------------------------------------
    def pool(self, guests=False, roles=None, mappings=None, tags=None, clients=(CLIENT,), use_defaults=False):
        DoctorTruth.n += 1
        p = self.emu.ok("CreateIdentityPool", {
            "IdentityPoolName": f"doctor{DoctorTruth.n}", "AllowUnauthenticatedIdentities": guests,
            "AllowClassicFlow": False,
            "CognitoIdentityProviders": [{"ProviderName": PROVIDER, "ClientId": c} for c in clients]})
        pid = p["IdentityPoolId"]
        req = {"IdentityPoolId": pid, "Roles": roles or {}}
        if mappings:
            req["RoleMappings"] = {f"{PROVIDER}:{CLIENT}": mappings}
        self.emu.ok("SetIdentityPoolRoles", req)
        if tags is not None:
            self.emu.ok("SetPrincipalTagAttributeMap", {
                "IdentityPoolId": pid, "IdentityProviderName": PROVIDER, "UseDefaults": use_defaults,
                "PrincipalTags": tags})
        return pid

    def role(self, name, pid, amr=None, tag_session=True):
        return self.emu.cognito_role(name, pid, amr=amr, tag_session=tag_session)

    def token(self, up=UP, client=CLIENT, use="id", claims=None, expires_in=3600):
        return self.emu.idp_token(up, client, "alice", token_use=use, claims=claims, expires_in=expires_in)

    # -- the three views ------------------------------------------------------
    def doctor(self, pid, who, *extra):
        r = self.cli.run("doctor", "--pool", pid, *who, "--format", "json", *extra)
        self.assertIn(r.rc, (0, 7), r)
        report = r.json()
        self.assertEqual(r.rc == 0, report["verdict"] == "ok", r)
        return report

    def service(self, pid, logins):
        """GetId + GetCredentialsForIdentity straight at the emulator: (role name or None, error message)."""
        req = {"IdentityPoolId": pid}
        if logins:
            req["Logins"] = logins
        status, _, out = self.emu.call("GetId", req, sign=False)
        if status != 200:
            return None, out.get("message", "")
        req = {"IdentityId": out["IdentityId"]}
        if logins:
            req["Logins"] = logins
        status, _, out = self.emu.call("GetCredentialsForIdentity", req, sign=False)
        if status != 200:
            return None, out.get("message", "")
        caller = self.emu.caller_arn(out["Credentials"])
        return caller.split("/")[1], ""

    def check(self, pid, token=None, failed=None, role=None, provider=PROVIDER):
        who = ["--login", f"{provider}={token}"] if token else ["--unauthenticated"]
        offline = self.doctor(pid, who)
        steps = {s["step"]: s for s in offline["steps"]}
        self.assertEqual(offline["failed_step"], failed, offline)
        self.assertEqual(offline["verdict"], "fail" if failed else "ok", offline)
        if failed:
            self.assertEqual(steps[failed]["status"], "fail")
            self.assertTrue(steps[failed]["fix"], offline)
        if role:
            self.assertEqual(offline["role_arn"], arn(role), offline)
        self.assertEqual(steps["live"]["status"], "skip")

        live = self.doctor(pid, who, "--live")
        self.assertTrue(live["live_agrees"], live)
        lsteps = {s["step"]: s for s in live["steps"]}
        self.assertEqual(lsteps["live"]["status"], "fail" if failed else "ok", live)
        self.assertEqual(live["failed_step"], failed, live)

        got_role, message = self.service(pid, {provider: token} if token else None)
        if failed:
            self.assertIsNone(got_role, message)
            hint = self.cli.run("doctor", "--error", message, "--format", "json").json()["error"]
            self.assertIn(failed, (hint["step"], hint.get("also_step")), (message, offline))
        else:
            self.assertEqual(message, "")
            self.assertEqual(arn(got_role), offline["role_arn"])
        return offline

    # -- the cases of the issue ---------------------------------------------------
    def test_rules_match(self):
        pid = self.pool()
        self.pool_roles(pid, "Rules", "Deny", [("custom:dept", "Equals", "eng", "DocEng")])
        self.check(pid, self.token(claims={"custom:dept": "eng"}), role="DocEng")

    def pool_roles(self, pid, kind, resolution, rules=(), auth="DocAuth"):
        roles = {"authenticated": self.role(auth, pid)} if auth else {}
        m = {"Type": kind, "AmbiguousRoleResolution": resolution}
        if kind == "Rules":
            m["RulesConfiguration"] = {"Rules": [
                {"Claim": c, "MatchType": t, "Value": v, "RoleARN": self.role(r, pid)} for c, t, v, r in rules]}
        self.emu.ok("SetIdentityPoolRoles", {"IdentityPoolId": pid, "Roles": roles,
                                             "RoleMappings": {f"{PROVIDER}:{CLIENT}": m}})

    def test_rules_no_match_authenticated_role(self):
        pid = self.pool()
        self.pool_roles(pid, "Rules", "AuthenticatedRole", [("custom:dept", "Equals", "eng", "DocEng")])
        self.check(pid, self.token(claims={"custom:dept": "sales"}), role="DocAuth")

    def test_rules_no_match_deny(self):
        pid = self.pool()
        self.pool_roles(pid, "Rules", "Deny", [("custom:dept", "Equals", "eng", "DocEng")])
        self.check(pid, self.token(claims={"custom:dept": "sales"}), failed="role")

    def test_not_equal_skips_a_missing_claim(self):
        pid = self.pool()
        self.pool_roles(pid, "Rules", "Deny", [("custom:tier", "NotEqual", "banned", "DocTier")])
        self.check(pid, self.token(), failed="role")
        self.check(pid, self.token(claims={"custom:tier": "gold"}), role="DocTier")

    def test_token_mapping_with_preferred_role(self):
        pid = self.pool()
        self.pool_roles(pid, "Token", "Deny")
        pref = self.role("DocPreferred", pid)
        self.check(pid, self.token(claims={"cognito:roles": [pref], "cognito:preferred_role": pref}),
                   role="DocPreferred")

    def test_token_mapping_without_preferred_role(self):
        pid = self.pool()
        self.pool_roles(pid, "Token", "Deny")
        other = self.role("DocGroupRole", pid)
        self.check(pid, self.token(claims={"cognito:roles": [other]}), failed="role")
        self.pool_roles(pid, "Token", "AuthenticatedRole")
        self.check(pid, self.token(claims={"cognito:roles": [other]}), role="DocAuth")

    def test_access_token(self):
        pid = self.pool(roles={})
        self.pool_roles(pid, "Rules", "AuthenticatedRole", [("x", "Equals", "y", "DocX")])
        report = self.check(pid, self.token(use="access"), failed="token")
        self.assertIn("access token", report["steps"][0]["detail"])

    def test_wrong_client(self):
        pid = self.pool()
        self.pool_roles(pid, "Rules", "AuthenticatedRole", [("x", "Equals", "y", "DocX")])
        self.check(pid, self.token(client="someotherclient"), failed="provider")

    def test_wrong_issuer(self):
        pid = self.pool()
        self.pool_roles(pid, "Rules", "AuthenticatedRole", [("x", "Equals", "y", "DocX")])
        report = self.check(pid, self.token(up=UP_OTHER), failed="provider")
        self.assertIn(UP_OTHER, report["steps"][1]["detail"])
        # The token itself is fine: its signature verified against its own issuer's keys.
        self.assertEqual(report["steps"][0]["status"], "ok")
        self.assertIn("signature verified", report["steps"][0]["detail"])

    def test_expired(self):
        pid = self.pool()
        self.pool_roles(pid, "Rules", "AuthenticatedRole", [("x", "Equals", "y", "DocX")])
        self.check(pid, self.token(expires_in=-120), failed="token")

    def test_guest_on_a_pool_without_guests(self):
        pid = self.pool(guests=False)
        self.check(pid, None, failed="unauthenticated")

    def test_guest_on_a_pool_with_guests(self):
        pid = self.pool(guests=True)
        self.emu.ok("SetIdentityPoolRoles", {"IdentityPoolId": pid, "Roles": {
            "unauthenticated": self.role("DocGuest", pid, amr="unauthenticated")}})
        self.check(pid, None, role="DocGuest")

    def test_role_that_trusts_another_pool(self):
        pid = self.pool()
        other = self.pool()
        self.emu.ok("SetIdentityPoolRoles", {"IdentityPoolId": pid, "Roles": {
            "authenticated": self.role("DocOtherPool", other)}})
        report = self.check(pid, self.token(), failed="trust")
        trust = report["steps"][4]
        self.assertIn(pid, trust["fix"])

    def test_missing_amr(self):
        pid = self.pool()
        self.emu.ok("SetIdentityPoolRoles", {"IdentityPoolId": pid, "Roles": {
            "authenticated": self.role("DocGuestsOnly", pid, amr="unauthenticated")}})
        report = self.check(pid, self.token(), failed="trust")
        self.assertIn("amr", report["steps"][4]["detail"])

    def test_principal_tags_without_tag_session(self):
        pid = self.pool(tags={"dept": "custom:dept"})
        self.emu.ok("SetIdentityPoolRoles", {"IdentityPoolId": pid, "Roles": {
            "authenticated": self.role("DocNoTagSession", pid, tag_session=False)}})
        report = self.check(pid, self.token(claims={"custom:dept": "eng"}), failed="trust")
        self.assertIn("sts:TagSession", report["steps"][4]["fix"])
        # With sts:TagSession the same login works, and the tags are predicted.
        self.role("DocNoTagSession", pid, tag_session=True)
        ok = self.check(pid, self.token(claims={"custom:dept": "eng"}), role="DocNoTagSession")
        self.assertEqual(ok["principal_tags"], {"dept": "eng"})

    def test_missing_role(self):
        pid = self.pool()
        self.emu.ok("SetIdentityPoolRoles", {"IdentityPoolId": pid, "Roles": {
            "authenticated": arn("DocDoesNotExist")}})
        report = self.check(pid, self.token(), failed="trust")
        self.assertIn("does not exist", report["steps"][4]["detail"])

    def test_provider_not_configured(self):
        pid = self.pool(clients=())
        self.emu.ok("UpdateIdentityPool", {"IdentityPoolId": pid, "IdentityPoolName": "doctor-noprov",
                                           "AllowUnauthenticatedIdentities": False})
        self.check(pid, self.token(), failed="provider")

    # -- principal tags over STS's limits (50 tags; values of 256 characters) ------
    def tagged_pool(self, tags, use_defaults):
        pid = self.pool(tags=tags, use_defaults=use_defaults)
        self.emu.ok("SetIdentityPoolRoles", {"IdentityPoolId": pid, "Roles": {
            "authenticated": self.role("DocTagged", pid)}})
        return pid

    def test_fifty_principal_tags_fit(self):
        tags = {f"t{i}": f"custom:c{i}" for i in range(48)}
        pid = self.tagged_pool(tags, use_defaults=True)  # 48 + client and username = 50
        ok = self.check(pid, self.token(claims={f"custom:c{i}": "v" for i in range(48)}), role="DocTagged")
        self.assertEqual(len(ok["principal_tags"]), 50)

    def test_fifty_one_principal_tags(self):
        tags = {f"t{i}": f"custom:c{i}" for i in range(49)}
        pid = self.tagged_pool(tags, use_defaults=True)  # 49 + client and username = 51
        report = self.check(pid, self.token(claims={f"custom:c{i}": "v" for i in range(49)}), failed="tags")
        self.assertIn("51 tags, over STS's 50", report["steps"][5]["detail"])
        # A claim the token lacks sets no tag: with one fewer, the session fits.
        self.check(pid, self.token(claims={f"custom:c{i}": "v" for i in range(48)}), role="DocTagged")

    def test_principal_tag_value_over_256_characters(self):
        pid = self.tagged_pool({"team": "custom:team"}, use_defaults=False)
        report = self.check(pid, self.token(claims={"custom:team": "x" * 257}), failed="tags")
        self.assertIn("over 256 characters", report["steps"][5]["detail"])
        self.check(pid, self.token(claims={"custom:team": "x" * 256}), role="DocTagged")

    # -- an OIDC provider: its audience list is IAM's ------------------------------
    def oidc_token(self, host, aud, sub="oidc-user-1"):
        """An OIDC ID token of HOST. Its signature cannot be checked offline (the doctor
        fetches only user pools' key sets, and says so) nor by the emulator."""
        def part(obj):
            return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()
        now = int(time.time())
        return ".".join([part({"alg": "RS256", "kid": "k1", "typ": "JWT"}),
                         part({"iss": f"https://{host}", "aud": aud, "sub": sub, "iat": now,
                               "exp": now + 3600}),
                         base64.urlsafe_b64encode(b"not a real signature").rstrip(b"=").decode()])

    def test_oidc_audience_from_the_iam_provider(self):
        host = f"oidc{DoctorTruth.n}.doctor.example"
        self.emu.iam("CreateOpenIDConnectProvider", {"Url": f"https://{host}",
                                                     "ClientIDList.member.1": "oidc-app-1",
                                                     "ClientIDList.member.2": "oidc-app-2",
                                                     "ThumbprintList.member.1": "9e99a48a9960b14926bb7f3b02e22da2b0ab7280"})
        p = self.emu.ok("CreateIdentityPool", {
            "IdentityPoolName": f"doctor-oidc{DoctorTruth.n}", "AllowUnauthenticatedIdentities": False,
            "OpenIdConnectProviderARNs": [f"arn:aws:iam::{ACCT}:oidc-provider/{host}"]})
        pid = p["IdentityPoolId"]
        self.emu.ok("SetIdentityPoolRoles", {"IdentityPoolId": pid, "Roles": {
            "authenticated": self.role("DocOidc", pid)}})
        ok = self.check(pid, self.oidc_token(host, "oidc-app-2"), role="DocOidc", provider=host)
        steps = {s["step"]: s for s in ok["steps"]}
        self.assertIn("NOT verified", steps["token"]["detail"])
        self.assertIn("2 client ids", steps["provider"]["detail"])
        bad = self.check(pid, self.oidc_token(host, "someone-else"), failed="provider", provider=host)
        self.assertIn("not among the 2 client ids", {s["step"]: s for s in bad["steps"]}["provider"]["detail"])
        # IAM cannot be read (not allowed, here): said, not passed silently.
        self.emu.set_faults("error:AccessDenied/GetOpenIDConnectProvider")
        try:
            r = self.doctor(pid, ["--login", f"{host}={self.oidc_token(host, 'someone-else')}"])
        finally:
            self.emu.set_faults("")
        self.assertIn("audience list was NOT checked", {s["step"]: s for s in r["steps"]}["provider"]["detail"])


class DoctorVerb(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emu = clitools.harness.Emulator()
        cls.addClassCleanup(cls.emu.stop)
        cls.cli = clitools.Cli(cls.emu)
        cls.addClassCleanup(cls.cli.cleanup)
        p = cls.emu.ok("CreateIdentityPool", {
            "IdentityPoolName": "doctor-verb", "AllowUnauthenticatedIdentities": True,
            "CognitoIdentityProviders": [{"ProviderName": PROVIDER, "ClientId": CLIENT}]})
        cls.pid = p["IdentityPoolId"]
        cls.emu.ok("SetIdentityPoolRoles", {"IdentityPoolId": cls.pid, "Roles": {
            "authenticated": cls.emu.cognito_role("DocVerbAuth", cls.pid),
            "unauthenticated": cls.emu.cognito_role("DocVerbGuest", cls.pid)}})

    def test_read_only_refuses_live_and_sends_nothing(self):
        self.emu.reset_log()
        r = self.cli.run("--read-only", "doctor", "--pool", self.pid, "--unauthenticated", "--live")
        self.assertEqual(r.rc, 3, r)
        self.assertIn("read-only", r.err)
        ops = [q.get("operation") for q in self.emu.requests()]
        self.assertNotIn("GetId", ops)
        # Offline it runs in read-only mode (reads only).
        r = self.cli.run("--read-only", "doctor", "--pool", self.pid, "--unauthenticated")
        self.assertEqual(r.rc, 0, r)

    def test_text_checklist_and_token_file(self):
        token = self.emu.idp_token(UP, CLIENT, "bob")
        with tempfile.NamedTemporaryFile("w", suffix=".jwt", delete=False) as f:
            f.write(token + "\n")
        self.addCleanup(os.unlink, f.name)
        r = self.cli.run("doctor", "--pool", self.pid, "--login", f"{PROVIDER}=@{f.name}")
        self.assertEqual(r.rc, 0, r)
        for step in ("token", "provider", "unauthenticated", "role", "trust", "tags", "live"):
            self.assertIn(step, r.out)
        self.assertIn("verdict: ok", r.out)
        self.assertNotIn(token, r.out + r.err)  # a token is never printed
        self.assertNotIn(token.split(".")[2], r.out + r.err)

    def test_failing_step_text_has_fix_and_evidence(self):
        token = self.emu.idp_token(UP, CLIENT, "carol", token_use="access")
        r = self.cli.run("doctor", "--pool", self.pid, "--login", f"{PROVIDER}={token}")
        self.assertEqual(r.rc, 7, r)
        self.assertIn("FAIL token", r.out)
        self.assertIn("fix: Send the ID token", r.out)
        self.assertIn("evidence:", r.out)
        self.assertIn("verdict: fail at the token step", r.out)

    def test_error_mapping(self):
        cases = {
            "Invalid identity pool configuration. Check assigned IAM roles for this pool.": "trust",
            "Token is not from a supported provider of this identity pool.": "provider",
            "Invalid login token. Issuer doesn't match providerName": "provider",
            "Logins don't match. Please include at least one valid login for this identity or "
            "identity pool.": "live",
            "Unauthenticated access is not supported for this identity pool.": "unauthenticated",
            "The ambiguous role mapping rules for: x denied this request.": "role",
            "Invalid login token. Missing a required claim: aud": "token",
        }
        for message, step in cases.items():
            r = self.cli.run("doctor", "--error", message, "--format", "json")
            self.assertEqual(r.rc, 0, r)
            self.assertEqual(r.json()["error"]["step"], step, message)
        r = self.cli.run("doctor", "--error", "Something else entirely")
        self.assertEqual(r.rc, 7, r)
        self.assertIn("not a message the doctor knows", r.out)

    def test_usage_errors(self):
        for args in (["doctor"], ["doctor", "--pool", self.pid],
                     ["doctor", "--pool", self.pid, "--unauthenticated", "--developer-user", "u"],
                     ["doctor", "--unauthenticated"], ["doctor", "--pool", self.pid, "--login", "novalue"],
                     ["doctor", "--pool", self.pid, "--unauthenticated", "--format", "xml"]):
            r = self.cli.run(*args)
            self.assertEqual(r.rc, 2, (args, r))
            self.assertTrue(r.err.startswith("cognito-tui: "), r)

    def test_json_shape(self):
        r = self.cli.run("doctor", "--pool", self.pid, "--unauthenticated", "--format", "json")
        self.assertEqual(r.rc, 0, r)
        doc = r.json()
        self.assertEqual(set(doc), {"verdict", "failed_step", "role_arn", "principal_tags", "steps"})
        self.assertEqual([s["step"] for s in doc["steps"]],
                         ["token", "provider", "unauthenticated", "role", "trust", "tags", "live"])
        for s in doc["steps"]:
            self.assertEqual(set(s), {"step", "status", "detail", "fix"})
            self.assertIn(s["status"], ("ok", "fail", "skip"))

    def test_unknown_pool_is_an_aws_error(self):
        r = self.cli.run("doctor", "--pool", f"{REGION}:00000000-0000-0000-0000-000000000000",
                         "--unauthenticated")
        self.assertEqual(r.rc, 1, r)
        self.assertIn("ResourceNotFoundException", r.err)

    def test_live_journals_the_identity_it_creates_never_the_token(self):
        token = self.emu.idp_token(UP, CLIENT, "dave")
        before = len(self.cli.journal())
        r = self.cli.run("doctor", "--pool", self.pid, "--login", f"{PROVIDER}={token}", "--live")
        self.assertEqual(r.rc, 0, r)
        lines = self.cli.journal()[before:]
        self.assertEqual([l["operation"] for l in lines], ["GetId"])  # the change; credentials are no change
        self.assertEqual(lines[0]["outcome"], "ok")
        self.assertIn("IdentityId", json.dumps(lines[0]["result"]))
        self.assertNotIn(token.split(".")[2], json.dumps(lines))

    def test_developer_user(self):
        p = self.emu.ok("CreateIdentityPool", {
            "IdentityPoolName": "doctor-dev", "AllowUnauthenticatedIdentities": False,
            "DeveloperProviderName": "login.doctor.example"})
        pid = p["IdentityPoolId"]
        self.emu.ok("SetIdentityPoolRoles", {"IdentityPoolId": pid, "Roles": {
            "authenticated": self.emu.cognito_role("DocDev", pid)}})
        r = self.cli.run("doctor", "--pool", pid, "--developer-user", "dev-1", "--live", "--format", "json")
        self.assertEqual(r.rc, 0, r)
        doc = r.json()
        self.assertEqual(doc["role_arn"], arn("DocDev"))
        self.assertTrue(doc["live_agrees"], doc)
        # A pool without a developer provider: the provider step.
        r = self.cli.run("doctor", "--pool", self.pid, "--developer-user", "dev-1", "--format", "json")
        self.assertEqual(r.rc, 7, r)
        self.assertEqual(r.json()["failed_step"], "provider")


if __name__ == "__main__":
    unittest.main()
