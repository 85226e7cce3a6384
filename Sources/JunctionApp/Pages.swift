import Hummingbird
import Mustache
import NIOCore

/// The server-rendered pages: plain HTML, no scripts, readable without styles.
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
            status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    static let layoutHead = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} · Junction</title>
        <style>body{font:16px/1.5 system-ui,sans-serif;max-width:38rem;margin:2rem auto;padding:0 1rem;color:#1a1a2e}
        label{display:block;margin:.8rem 0 .2rem;font-weight:600}input{font:inherit;padding:.4rem;width:100%;box-sizing:border-box}
        button{font:inherit;padding:.5rem 1.2rem;margin-top:1rem}.note{color:#555;font-size:.9rem}</style>
        </head><body><main>
        """

    static let templates: [String: String] = [
        "onboarding": layoutHead + """
            <h1>{{title}}</h1>
            <p><strong>{{platform}}</strong> asks you to provide the details of account <code>{{account}}</code>.</p>
            <p class="note">This is Junction's test onboarding: nothing is verified. Details you leave out are filled
            with Stripe's test values, and the terms of service are accepted on submit.</p>
            {{#due.count}}<p>Still due:</p><ul>{{#due}}<li><code>{{.}}</code></li>{{/due}}</ul>{{/due.count}}
            <form method="post" action="{{action}}">
              <label for="business_name">Business name</label>
              <input id="business_name" name="business_name" value="{{businessName}}" autocomplete="organization">
              <label for="email">Email</label>
              <input id="email" name="email" type="email" value="{{email}}" autocomplete="email">
              <button type="submit">Submit and return to {{platform}}</button>
            </form>
            </main></body></html>
            """,
        "message": layoutHead + """
            <h1>{{title}}</h1>
            <p>{{message}}</p>
            </main></body></html>
            """,
    ]
}
