import Hummingbird

extension Response {
    /// A 303 redirect, optionally setting a cookie.
    static func redirect(_ location: String, setCookie: String? = nil) -> Response {
        var response = Response(status: .seeOther, headers: [.location: location])
        if let setCookie { response.headers[.setCookie] = setCookie }
        return response
    }

    func settingCookie(_ cookie: String?) -> Response {
        guard let cookie else { return self }
        var copy = self
        copy.headers[.setCookie] = cookie
        return copy
    }
}
