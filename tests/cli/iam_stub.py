"""A small IAM (query protocol, read side) for the audit's tests and bench
until the emulator's own IAM lands on main: roles with trust policies,
inline and managed policies, IAM's XML shapes and errors, Marker pages of
one item, and faults (throttling, 500s). Standard library only.

    stub = IamStub()            # listens on 127.0.0.1, a free port
    stub.role("Auth", trust_doc, inline={"p": doc}, attached=[arn])
    stub.policy(arn, doc)
    stub.faults = {"throttle": 2}   # the next 2 calls answer Throttling
    env["AWS_ENDPOINT_URL_IAM"] = stub.url
    stub.calls -> [(action, params)]
    stub.stop()
"""
import http.server
import json
import threading
import urllib.parse
from xml.sax.saxutils import escape

NS = "https://iam.amazonaws.com/doc/2010-05-08/"
ACCOUNT = "123456789012"


def enc(doc):
    return urllib.parse.quote(doc if isinstance(doc, str) else json.dumps(doc), safe="")


class IamStub:
    def __init__(self):
        self.roles, self.policies, self.faults, self.calls = {}, {}, {}, []
        self.lock = threading.Lock()
        stub = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def do_POST(self):
                n = int(self.headers.get("Content-Length") or 0)
                form = urllib.parse.parse_qs(self.rfile.read(n).decode(), keep_blank_values=True)
                params = {k: v[0] for k, v in form.items()}
                status, body = stub.answer(params, self.headers.get("Authorization", ""))
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/xml")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def role(self, name, trust, inline=None, attached=None):
        self.roles[name] = {"trust": trust, "inline": inline or {}, "attached": attached or []}

    def policy(self, arn, doc):
        self.policies[arn] = doc

    @staticmethod
    def error(status, code, message):
        return status, ("<ErrorResponse xmlns=\"%s\"><Error><Type>Sender</Type><Code>%s</Code>"
                        "<Message>%s</Message></Error><RequestId>stub</RequestId></ErrorResponse>"
                        % (NS, code, escape(message)))

    @staticmethod
    def ok(action, inner):
        return 200, ("<%sResponse xmlns=\"%s\"><%sResult>%s</%sResult><ResponseMetadata>"
                     "<RequestId>stub</RequestId></ResponseMetadata></%sResponse>"
                     % (action, NS, action, inner, action, action))

    def answer(self, p, auth):
        action = p.get("Action", "")
        with self.lock:
            self.calls.append((action, p))
            if self.faults.get("throttle", 0) > 0:
                self.faults["throttle"] -= 1
                return self.error(400, "Throttling", "Rate exceeded")
            if self.faults.get("fail", 0) > 0:
                return self.error(500, "ServiceFailure", "stub failure")
        if "/iam/aws4_request" not in auth:
            return self.error(403, "InvalidClientTokenId", "not signed for iam")
        if p.get("Version") != "2010-05-08":
            return self.error(400, "InvalidAction", "bad version")
        name = p.get("RoleName")
        if action in ("GetRole", "ListRolePolicies", "GetRolePolicy", "ListAttachedRolePolicies"):
            r = self.roles.get(name)
            if r is None:
                return self.error(404, "NoSuchEntity", "The role with name %s cannot be found." % name)
        if action == "GetRole":
            return self.ok(action, "<Role><Path>/</Path><RoleName>%s</RoleName><RoleId>AROA%s</RoleId>"
                           "<Arn>arn:aws:iam::%s:role/%s</Arn><AssumeRolePolicyDocument>%s"
                           "</AssumeRolePolicyDocument></Role>"
                           % (escape(name), len(name), ACCOUNT, escape(name), enc(r["trust"])))
        if action in ("ListRolePolicies", "ListAttachedRolePolicies"):
            items = sorted(r["inline"]) if action == "ListRolePolicies" else list(r["attached"])
            start = int(p.get("Marker") or 0)
            page, more = items[start:start + 1], start + 1 < len(items)
            if action == "ListRolePolicies":
                members = "".join("<member>%s</member>" % escape(x) for x in page)
                inner = "<PolicyNames>%s</PolicyNames>" % members
            else:
                members = "".join("<member><PolicyName>%s</PolicyName><PolicyArn>%s</PolicyArn></member>"
                                  % (escape(x.rsplit("/", 1)[-1]), escape(x)) for x in page)
                inner = "<AttachedPolicies>%s</AttachedPolicies>" % members
            inner += "<IsTruncated>%s</IsTruncated>" % ("true" if more else "false")
            if more:
                inner += "<Marker>%d</Marker>" % (start + 1)
            return self.ok(action, inner)
        if action == "GetRolePolicy":
            doc = r["inline"].get(p.get("PolicyName"))
            if doc is None:
                return self.error(404, "NoSuchEntity", "no such policy")
            return self.ok(action, "<RoleName>%s</RoleName><PolicyName>%s</PolicyName>"
                           "<PolicyDocument>%s</PolicyDocument>"
                           % (escape(name), escape(p["PolicyName"]), enc(doc)))
        if action in ("GetPolicy", "GetPolicyVersion"):
            arn = p.get("PolicyArn")
            if arn not in self.policies:
                return self.error(404, "NoSuchEntity", "Policy %s does not exist." % arn)
            if action == "GetPolicy":
                return self.ok(action, "<Policy><Arn>%s</Arn><DefaultVersionId>v1</DefaultVersionId>"
                               "</Policy>" % escape(arn))
            return self.ok(action, "<PolicyVersion><Document>%s</Document><VersionId>v1</VersionId>"
                           "<IsDefaultVersion>true</IsDefaultVersion></PolicyVersion>"
                           % enc(self.policies[arn]))
        return self.error(400, "InvalidAction", "Could not find operation %s" % action)

    def count(self, action, **match):
        with self.lock:
            return sum(1 for a, p in self.calls
                       if a == action and all(p.get(k) == v for k, v in match.items()))
