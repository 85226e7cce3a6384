import ConnectModel
import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import NIOCore

/// What every page renders with: the header's fields, and the page's own view.
struct PageContext<View: Sendable>: Sendable {
    var title: String
    /// The session's CSRF token, which every form carries.
    var csrf: String
    /// The signed-in person's email, shown in the header with a log-out button.
    var email: String?
    var view: View
}

/// The server-rendered pages: plain HTML, no scripts, readable without styles, labelled forms.
/// Templates are the `.mustache` files of `Templates/`, a package resource.
enum Pages {
    /// The templates' text by name, read from the package's resources.
    static let sources: [String: String] = {
        guard let directory = Bundle.module.url(forResource: "Templates", withExtension: nil),
            let files = try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
        else { preconditionFailure("The page templates are missing from the package's resources.") }
        var sources: [String: String] = [:]
        for file in files where file.pathExtension == "mustache" {
            sources[file.deletingPathExtension().lastPathComponent] = try? String(contentsOf: file, encoding: .utf8)
        }
        return sources
    }()

    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in sources {
            // The templates are part of the source: a syntax error is a programming error, found
            // at start (``load()``) and by the tests.
            library.register(try! MustacheTemplate(string: text), named: name)
        }
        return library
    }()

    /// Loads and parses the templates now, so a broken one stops the start instead of a request.
    static func load() {
        _ = library
    }

    static func render<View: Sendable>(
        _ template: String, _ context: PageContext<View>, status: HTTPResponse.Status = .ok
    ) -> Response {
        let html = library.render(context, withTemplate: template) ?? ""
        return Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                HTTPField.Name("X-Content-Type-Options")!: "nosniff",
                .contentSecurityPolicy:
                    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http: https:; frame-ancestors 'none'",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    /// A page with a title and one message (and a link onward, if any).
    static func message(
        _ title: String, _ message: String, status: HTTPResponse.Status = .ok, session: SignedIn? = nil,
        link: (url: String, text: String)? = nil
    ) -> Response {
        render(
            "message",
            PageContext(
                title: title, csrf: session?.session.csrf ?? "", email: session?.user.email,
                view: MessageView(message: message, link: link?.url, linkText: link?.text)),
            status: status)
    }

    /// A form whose CSRF token did not match its session.
    static func forbidden() -> Response {
        message(
            "Form expired",
            "This form is no longer valid (its security token did not match). Go back, reload the page and try again.",
            status: .forbidden)
    }
}

/// The `message` page.
struct MessageView: Sendable {
    var message: String
    var link: String?
    var linkText: String?
}
