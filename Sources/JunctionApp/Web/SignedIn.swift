import ConnectModel

/// The person a page request is signed in as, and their browser session: the identity
/// ``WebSessionAuthenticator`` puts in the request context.
public struct SignedIn: Sendable {
    var session: WebSession
    var user: User

    /// What every page of the signed-in person renders with.
    func page<View: Sendable>(_ title: String, _ view: View) -> PageContext<View> {
        PageContext(title: title, csrf: session.csrf, email: user.email, view: view)
    }
}
