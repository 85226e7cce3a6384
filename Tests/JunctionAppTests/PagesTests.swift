import Testing

@testable import JunctionApp

@Suite("Pages")
struct PagesTests {
    @Test("there is a template for every page, read from the package's resources")
    func templatesAreResources() {
        let expected: Set = [
            "header", "footer", "message", "signup", "login", "authorize", "dashboard", "account", "webhooks",
            "connected", "restricted", "applications", "express", "onboarding",
        ]
        #expect(Set(Pages.sources.keys) == expected)
    }

    @Test("every form of every page carries the session's CSRF token")
    func csrfOnEveryForm() {
        for (name, template) in Pages.sources {
            let forms = template.components(separatedBy: "<form").count - 1
            let tokens = template.components(separatedBy: #"name="csrf_token" value="{{csrf}}""#).count - 1
            #expect(forms == tokens, "\(name): \(forms) forms, \(tokens) CSRF tokens")
        }
    }

    @Test("every template renders")
    func templatesRender() {
        for name in Pages.sources.keys {
            #expect(Pages.library.render(["title": "T"], withTemplate: name)?.isEmpty == false, "\(name)")
        }
    }

    @Test("a typed view renders: rows, the page's CSRF token inside rows, absent optionals hidden (P11)")
    func typedViewRenders() {
        let entry = ApplicationsView.Entry(
            accountID: "acct_1", appID: "ca_1", appName: "Rocket <Rides>", kind: "Platform", scope: "Read and write",
            since: "1 May 2026", controls: "Off", legacy: false, revocable: true, reason: "")
        let view = ApplicationsView(
            id: "acct_1", name: "Shop", notice: nil, error: nil, hasEntries: true, entries: [entry])
        let context = PageContext(title: "Authorized applications", csrf: "tok123", email: "a@b.c", view: view)
        let html = Pages.library.render(context, withTemplate: "applications") ?? ""
        #expect(html.contains(#"action="/dashboard/accounts/acct_1/applications/ca_1/revoke""#))
        #expect(html.contains(#"name="csrf_token" value="tok123""#))
        #expect(html.contains("Rocket &lt;Rides&gt;"), "values are HTML-escaped")
        #expect(!html.contains("role=\"alert\""), "no error is shown when there is none")
        #expect(html.contains("a@b.c"), "the header shows who is signed in")
    }
}
