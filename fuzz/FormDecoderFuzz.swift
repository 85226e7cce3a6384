// libFuzzer target for Stripe's bracket form decoder (StripeForm): any bytes must parse or be
// refused with a FormError, never trap, and the same bytes always give the same parameters.
// Built by fuzz/run with `swiftc -sanitize=fuzzer,address` over StripeForm's sources.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFormDecoder(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let parser = FormParser()
    guard let form = try? parser.parse(bytes) else { return 0 }
    // What Junction does with every form (the idempotency fingerprint) must not trap, and the
    // same bytes must always give the same parameters.
    let canonical = form.canonicalForm
    guard let again = try? parser.parse(bytes), again.canonicalForm == canonical else {
        fatalError("parsing the same bytes twice gave another form")
    }
    return 0
}
