import Hummingbird
import Mustache
import NIOCore

/// The server-rendered pages: plain HTML, no scripts, readable without styles, labelled forms.
enum Pages {
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in templates {
            // The templates are part of the source: a syntax error is a programming error.
            library.register(try! MustacheTemplate(string: text), named: name)
        }
        return library
    }()

    static func render(_ name: String, _ object: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        let html = library.render(object, withTemplate: name) ?? ""
        return Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                .contentSecurityPolicy:
                    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http: https:; frame-ancestors 'none'",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    /// A page with a title and one message.
    static func message(_ title: String, _ message: String, status: HTTPResponse.Status = .ok) -> Response {
        render("message", ["title": title, "message": message], status: status)
    }

    static let templates: [String: String] = [
        "header": """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} · Junction</title>
        <style>
        body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:0 auto;padding:0 1rem 3rem;color:#1a1a2e}
        header{display:flex;justify-content:space-between;align-items:center;border-bottom:1px solid #ddd;margin-bottom:1.5rem}
        header form{display:inline}label{display:block;margin:.8rem 0 .2rem;font-weight:600}
        input[type=email],input[type=password],input[type=text],select{font:inherit;padding:.4rem;width:100%;box-sizing:border-box}
        fieldset{border:1px solid #ccc;margin:1rem 0;padding:.5rem 1rem}fieldset label{font-weight:400;display:flex;gap:.5rem}
        button{font:inherit;padding:.5rem 1.2rem;margin:1rem .5rem 0 0;cursor:pointer}.note{color:#555;font-size:.9rem}
        .error{border:1px solid #b00020;color:#b00020;padding:.5rem 1rem}.notice{border:1px solid #0a6;padding:.5rem 1rem}
        table{border-collapse:collapse;width:100%}th,td{text-align:left;border-bottom:1px solid #ddd;padding:.4rem}
        </style></head><body>
        <header><p><strong>Junction</strong> <span class="note">test mode</span></p>
        {{#email}}<div>{{email}} · <a href="/dashboard">Dashboard</a>
        <form method="post" action="/logout"><input type="hidden" name="csrf_token" value="{{csrf}}"><button type="submit">Log out</button></form></div>{{/email}}
        </header><main>
        """,
        "footer": "</main></body></html>\n",

        "message": """
        {{> header}}<h1>{{title}}</h1>
        <p>{{message}}</p>
        {{#link}}<p><a href="{{link}}">{{linkText}}</a></p>{{/link}}
        {{> footer}}
        """,

        "signup": """
        {{> header}}<h1>Create your Junction login</h1>
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        <form method="post" action="/signup">
          <input type="hidden" name="csrf_token" value="{{csrf}}"><input type="hidden" name="next" value="{{next}}">
          <label for="email">Email</label><input id="email" name="email" type="email" value="{{prefillEmail}}" required autocomplete="email">
          <label for="password">Password <span class="note">(8 to 72 characters)</span></label>
          <input id="password" name="password" type="password" required minlength="8" autocomplete="new-password">
          <button type="submit">Create login</button>
        </form>
        <p>Already have a login? <a href="/login?next={{nextEscaped}}">Log in</a></p>
        {{> footer}}
        """,

        "login": """
        {{> header}}<h1>Log in</h1>
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        <form method="post" action="/login">
          <input type="hidden" name="csrf_token" value="{{csrf}}"><input type="hidden" name="next" value="{{next}}">
          <label for="email">Email</label><input id="email" name="email" type="email" value="{{prefillEmail}}" required autocomplete="email">
          <label for="password">Password</label><input id="password" name="password" type="password" required autocomplete="current-password">
          <button type="submit">Log in</button>
        </form>
        <p>No login yet? <a href="/signup?next={{nextEscaped}}">Create one</a></p>
        {{> footer}}
        """,

        "authorize": """
        {{> header}}<h1>Connect with {{appName}}</h1>
        <p><strong>{{appName}}</strong> is a Stripe Connect <strong>{{kind}}</strong>: {{kindText}}</p>
        <h2>What {{appName}} will be able to do</h2>
        <p id="scope">{{scopeText}}</p>
        <p>{{appName}} will never see card numbers: they are not visible to any application.</p>
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        <form method="post" action="/oauth/authorize">
          <input type="hidden" name="csrf_token" value="{{csrf}}">
          {{#hidden}}<input type="hidden" name="{{name}}" value="{{value}}">{{/hidden}}
          <fieldset><legend>Which account should {{appName}} connect to?</legend>
            {{#accounts}}<label><input type="radio" name="account" value="{{id}}" {{#first}}checked{{/first}}> {{name}} <span class="note">({{id}}, {{country}})</span></label>{{/accounts}}
            {{^accounts}}{{#hasAccounts}}<p class="note">None of your accounts can connect: each is already connected to another platform, and an account can be connected to one platform at a time. Create a new account for {{appName}}.</p>{{/hasAccounts}}{{/accounts}}
            <label><input type="radio" name="account" value="new" {{^accounts}}checked{{/accounts}}> Create a new account</label>
          </fieldset>
          <fieldset><legend>For a new account</legend>
            <label for="share_business_with">Business</label>
            <select id="share_business_with" name="share_business_with">
              <option value="">A new business</option>
              {{#allAccounts}}<option value="{{id}}">Share the business of {{name}} ({{id}})</option>{{/allAccounts}}
            </select>
            <p class="note">Sharing copies the business profile, company or individual details and country.</p>
          </fieldset>
          <button type="submit" name="decision" value="allow">Allow</button>
          <button type="submit" name="decision" value="deny">Deny</button>
        </form>
        {{> footer}}
        """,

        "dashboard": """
        {{> header}}<h1>Your accounts</h1>
        {{^accounts}}<p>You have no accounts yet. A platform you connect to can create one for you.</p>{{/accounts}}
        {{#hasAccounts}}<table><thead><tr><th scope="col">Account</th><th scope="col">Dashboard</th><th scope="col"></th></tr></thead><tbody>
        {{#accounts}}<tr><td>{{name}}<br><span class="note">{{id}}</span></td><td>{{dashboard}}</td>
        <td>{{#full}}<a href="/dashboard/accounts/{{id}}">Open</a>{{/full}}{{^full}}<span class="note">{{reason}}</span>{{/full}}</td></tr>{{/accounts}}
        </tbody></table>{{/hasAccounts}}
        {{> footer}}
        """,

        "account": """
        {{> header}}<h1>{{name}}</h1>
        <dl><dt>Account</dt><dd>{{id}}</dd><dt>Country</dt><dd>{{country}}</dd>
        <dt>Controlled by</dt><dd>{{controlledBy}}</dd><dt>Charges</dt><dd>{{charges}}</dd>
        <dt>Payouts</dt><dd>{{payoutSchedule}}</dd></dl>
        <p><a href="/dashboard/accounts/{{id}}/applications">Authorized applications</a></p>
        <p><a href="/dashboard/accounts/{{id}}/webhooks">Webhooks</a></p>
        {{#application}}<p><a href="/dashboard/accounts/{{id}}/connected">Accounts connected to {{application}}</a></p>{{/application}}
        {{> footer}}
        """,

        "webhooks": """
        {{> header}}<h1>Webhooks</h1>
        <p class="note">Account {{name}} ({{id}}). <a href="/dashboard/accounts/{{id}}">Back to the account</a></p>
        <h2>Endpoints</h2>
        {{^hasEndpoints}}<p>No webhook endpoint. Create one with <code>POST /v1/webhook_endpoints</code>.</p>{{/hasEndpoints}}
        {{#hasEndpoints}}<table><thead><tr><th scope="col">URL</th><th scope="col">Events</th><th scope="col">Events of</th><th scope="col">Status</th></tr></thead><tbody>
        {{#endpoints}}<tr data-endpoint="{{id}}"><td>{{url}}<br><span class="note">{{id}}</span></td><td>{{events}}</td><td>{{scope}}</td><td>{{status}}</td></tr>{{/endpoints}}
        </tbody></table>{{/hasEndpoints}}
        <h2>Delivery attempts</h2>
        {{^hasDeliveries}}<p>No event has been sent yet.</p>{{/hasDeliveries}}
        {{#hasDeliveries}}<table><thead><tr><th scope="col">Event</th><th scope="col">Endpoint</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Last response</th><th scope="col">Next retry</th><th scope="col">Created</th></tr></thead><tbody>
        {{#deliveries}}<tr data-delivery="{{id}}" data-event="{{event}}"><td>{{type}}<br><span class="note">{{event}}</span></td><td>{{endpoint}}</td><td>{{status}}</td><td>{{attempts}}</td><td>{{response}}</td><td>{{nextRetry}}</td><td>{{date}}</td></tr>{{/deliveries}}
        </tbody></table>{{/hasDeliveries}}
        {{> footer}}
        """,

        "connected": """
        {{> header}}<h1>Accounts connected to {{application}}</h1>
        <p class="note">A read-only view of each account, for troubleshooting with its owner.</p>
        {{^hasAccounts}}<p>No account is connected to {{application}}.</p>{{/hasAccounts}}
        {{#hasAccounts}}<table><thead><tr><th scope="col">Account</th><th scope="col">Type</th><th scope="col"></th></tr></thead><tbody>
        {{#accounts}}<tr><td>{{name}}<br><span class="note">{{id}}</span></td><td>{{type}}</td>
        <td><a href="/dashboard/accounts/{{platformAccount}}/connected/{{id}}">View</a></td></tr>{{/accounts}}
        </tbody></table>{{/hasAccounts}}
        {{> footer}}
        """,

        "restricted": """
        {{> header}}<h1>{{name}}</h1>
        <p class="note">Restricted, read-only view of {{id}} for {{application}}: payments, refunds and customers.
        Settings and card numbers are not shown.</p>
        <h2>Payments</h2>
        {{^hasCharges}}<p>No payments.</p>{{/hasCharges}}
        {{#hasCharges}}<table><thead><tr><th scope="col">Payment</th><th scope="col">Amount</th><th scope="col">Status</th><th scope="col">Card</th><th scope="col">Refunded</th><th scope="col">Date</th></tr></thead><tbody>
        {{#charges}}<tr data-charge="{{id}}"><td>{{id}}</td><td>{{amount}}</td><td>{{status}}</td><td>{{card}}</td><td>{{refunded}}</td><td>{{date}}</td></tr>{{/charges}}
        </tbody></table>{{/hasCharges}}
        <h2>Refunds</h2>
        {{^hasRefunds}}<p>No refunds.</p>{{/hasRefunds}}
        {{#hasRefunds}}<table><thead><tr><th scope="col">Refund</th><th scope="col">Amount</th><th scope="col">Payment</th><th scope="col">Status</th><th scope="col">Date</th></tr></thead><tbody>
        {{#refunds}}<tr data-refund="{{id}}"><td>{{id}}</td><td>{{amount}}</td><td>{{charge}}</td><td>{{status}}</td><td>{{date}}</td></tr>{{/refunds}}
        </tbody></table>{{/hasRefunds}}
        <h2>Customers</h2>
        {{^hasCustomers}}<p>No customers.</p>{{/hasCustomers}}
        {{#hasCustomers}}<table><thead><tr><th scope="col">Customer</th><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Since</th></tr></thead><tbody>
        {{#customers}}<tr data-customer="{{id}}"><td>{{id}}</td><td>{{name}}</td><td>{{email}}</td><td>{{date}}</td></tr>{{/customers}}
        </tbody></table>{{/hasCustomers}}
        {{> footer}}
        """,

        "applications": """
        {{> header}}<h1>Authorized applications</h1>
        <p class="note">Account {{name}} ({{id}}). <a href="/dashboard/accounts/{{id}}">Back to the account</a></p>
        {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        {{^entries}}<p>No application is connected to this account.</p>{{/entries}}
        {{#hasEntries}}<table><thead><tr><th scope="col">Application</th><th scope="col">Kind</th><th scope="col">Access</th>
        <th scope="col">Since</th><th scope="col">Platform controls</th><th scope="col"></th></tr></thead><tbody>
        {{#entries}}<tr data-application="{{appID}}"><td>{{appName}}{{#legacy}} <span class="note">(legacy connection)</span>{{/legacy}}</td>
        <td>{{kind}}</td><td>{{scope}}</td><td>{{since}}</td><td>{{controls}}</td><td>
        {{#revocable}}<form method="post" action="/dashboard/accounts/{{accountID}}/applications/{{appID}}/revoke">
        <input type="hidden" name="csrf_token" value="{{csrf}}"><button type="submit" aria-label="Revoke {{appName}}">Revoke</button></form>{{/revocable}}
        {{^revocable}}<span class="note">{{reason}}</span>{{/revocable}}</td></tr>{{/entries}}
        </tbody></table>{{/hasEntries}}
        {{> footer}}
        """,

        "express": """
        {{> header}}<h1>{{name}}</h1>
        <p class="note">Express dashboard for account {{id}}, managed by {{platform}}.</p>
        <dl><dt>Charges</dt><dd>{{charges}}</dd><dt>Payouts</dt><dd>{{payouts}}</dd><dt>Payout schedule</dt><dd>{{payoutSchedule}}</dd>
        <dt>Email</dt><dd>{{emailText}}</dd></dl>
        <p class="note">{{platform}} manages this account's settings. Contact them to change anything.</p>
        {{> footer}}
        """,

        "onboarding": """
        {{> header}}<h1>{{title}}</h1>
        <p><strong>{{platform}}</strong> asks you to provide the details of account <code>{{account}}</code>.</p>
        <p class="note">This is Junction's test onboarding: nothing is verified. Details you leave out are filled
        with Stripe's test values, and the terms of service are accepted on submit.</p>
        {{#hasDue}}<p>Still due:</p><ul>{{#due}}<li><code>{{.}}</code></li>{{/due}}</ul>{{/hasDue}}
        <form method="post" action="{{action}}">
          <input type="hidden" name="csrf_token" value="{{csrf}}">
          <label for="business_name">Business name</label>
          <input id="business_name" name="business_name" type="text" value="{{businessName}}" autocomplete="organization">
          <label for="email">Email</label>
          <input id="email" name="email" type="email" value="{{emailValue}}" autocomplete="email">
          <button type="submit">Submit and return to {{platform}}</button>
        </form>
        {{> footer}}
        """,
    ]
}
