import Testing

@testable import JunctionApp

@Suite("Pages")
struct PagesTests {
    @Test("every form of every page carries the session's CSRF token")
    func csrfOnEveryForm() {
        for (name, template) in Pages.templates {
            let forms = template.components(separatedBy: "<form").count - 1
            let tokens = template.components(separatedBy: #"name="csrf_token" value="{{csrf}}""#).count - 1
            #expect(forms == tokens, "\(name): \(forms) forms, \(tokens) CSRF tokens")
        }
    }

    @Test("every template renders")
    func templatesRender() {
        for name in Pages.templates.keys {
            #expect(Pages.library.render(["title": "T"], withTemplate: name)?.isEmpty == false, "\(name)")
        }
    }
}
