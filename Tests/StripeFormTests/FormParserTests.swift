import Testing

@testable import StripeForm

@Suite("Form parser: Stripe's bracket encoding")
struct FormParserTests {
    let parser = FormParser()

    @Test("nested brackets build a tree")
    func nested() throws {
        let form = try parser.parse("controller[fees][payer]=application&capabilities[card_payments][requested]=true")
        guard case .container(let controller)? = form["controller"], case .container(let fees)? = controller["fees"]
        else {
            Issue.record("no tree")
            return
        }
        #expect(fees["payer"] == .scalar("application"))
    }

    @Test("indexed arrays, [] arrays and arrays of objects")
    func arrays() throws {
        let form = try parser.parse("expand[0]=a&expand[1]=b&tags[]=x&tags[]=y&items[0][price]=p1&items[1][price]=p2")
        let schema = ParamSchema([
            "expand": ParamSchema.expand,
            "tags": ParamSpec(.array(.string)),
            "items": ParamSpec(.array(.object(["price": ParamSpec(.string)]))),
        ])
        let params = try ParamValidator.validate(form, against: schema)
        #expect(params.expand == ["a", "b"])
        #expect(params["tags"] == .array([.string("x"), .string("y")]))
        #expect(params["items"]?.array?[1]["price"] == .string("p2"))
    }

    @Test("percent-encoded brackets in query strings and + as space")
    func percentDecoding() throws {
        let form = try parser.parse("expand%5B0%5D=data.controller&name=Jane+Doe%21")
        let params = try ParamValidator.validate(
            form, against: ParamSchema(["expand": ParamSchema.expand, "name": ParamSpec(.string)]))
        #expect(params.expand == ["data.controller"])
        #expect(params["name"] == .string("Jane Doe!"))
    }

    @Test("key= means unset where unsetting is allowed, and is refused elsewhere")
    func unset() throws {
        let schema = ParamSchema(["email": ParamSpec(.string, unsettable: true), "country": ParamSpec(.string)])
        #expect(try ParamValidator.validate(parser.parse("email="), against: schema)["email"] == .unset)
        #expect(throws: FormError.cannotUnset("country")) {
            try ParamValidator.validate(parser.parse("country="), against: schema)
        }
    }

    @Test("unknown parameters are reported by their full bracketed name")
    func unknown() throws {
        let schema = ParamSchema([
            "controller": ParamSpec(.object(["fees": ParamSpec(.object(["payer": ParamSpec(.string)]))]))
        ])
        #expect(throws: FormError.unknown("controller[fees][color]")) {
            try ParamValidator.validate(parser.parse("controller[fees][color]=red"), against: schema)
        }
        #expect(throws: FormError.unknown("colour")) {
            try ParamValidator.validate(parser.parse("colour=red"), against: schema)
        }
    }

    @Test(
        "malformed input is a 400 FormError, never a crash",
        arguments: [
            "a=%zz", "a=%4", "a%=1", "a[b=1", "a]=1", "a[b]c=1", "[a]=1", "a[[b]]=1", "a=1&a[b]=2", "a[b]=1&a=2",
            "a=%00", "a%00b=1", "a=%ff%fe",
        ])
    func malformed(_ input: String) {
        #expect(throws: FormError.self) { try parser.parse(input) }
    }

    @Test("limits: huge keys, deep nesting, huge array indexes, too many pairs")
    func limits() {
        #expect(throws: FormError.self) { try parser.parse(String(repeating: "k", count: 100_000) + "=1") }
        #expect(throws: FormError.self) { try parser.parse("a" + String(repeating: "[b]", count: 50) + "=1") }
        #expect(throws: FormError.self) { try parser.parse("a[999999999]=1") }
        #expect(throws: FormError.self) {
            try parser.parse((0..<20_000).map { "k\($0)=1" }.joined(separator: "&"))
        }
    }

    @Test("integers, booleans and enums are checked")
    func scalars() throws {
        let schema = ParamSchema([
            "limit": ParamSpec(.integer(min: 1, max: 100)), "flag": ParamSpec(.boolean),
            "kind": ParamSpec(.enumeration(["a", "b"])),
        ])
        #expect(
            try ParamValidator.validate(parser.parse("limit=5&flag=true&kind=b"), against: schema)["limit"]
                == .integer(5))
        // stripe-python before 12 encodes booleans as Python prints them.
        for (text, value) in [("true", true), ("True", true), ("false", false), ("False", false)] {
            #expect(
                try ParamValidator.validate(parser.parse("flag=\(text)"), against: schema)["flag"] == .boolean(value))
        }
        for bad in ["limit=abc", "limit=0", "limit=101", "flag=yes", "flag=TRUE", "flag=1", "kind=c"] {
            #expect(throws: FormError.self) { try ParamValidator.validate(parser.parse(bad), against: schema) }
        }
    }

    @Test("metadata: keys up to 40 characters, values up to 500, an empty value unsets the key")
    func metadata() throws {
        let schema = ParamSchema(["metadata": ParamSpec(.metadata, unsettable: true)])
        let params = try ParamValidator.validate(parser.parse("metadata[a]=1&metadata[b]="), against: schema)
        #expect(params["metadata"] == .object(["a": .string("1"), "b": .unset]))
        #expect(throws: FormError.self) {
            try ParamValidator.validate(
                parser.parse("metadata[\(String(repeating: "k", count: 41))]=1"), against: schema)
        }
        #expect(throws: FormError.self) {
            try ParamValidator.validate(
                parser.parse("metadata[k]=\(String(repeating: "v", count: 501))"), against: schema)
        }
    }
}

@Suite("Form parser: many children under one key (H2)")
struct FormParserWideTests {
    @Test("10,000 appended children and 10,000 indexed ones parse, in wire order, each once")
    func wide() throws {
        let appended = try FormParser().parse(Array(repeating: "a[]=x", count: 10_000).joined(separator: "&"))
        guard case .container(let list)? = appended["a"] else {
            Issue.record("a is not a container")
            return
        }
        #expect(list.count == 10_000 && list.keys.first == "0" && list.keys.last == "9999")
        let nested = try FormParser().parse(
            (0..<5_000).map { "items[\($0)][price]=p\($0)&items[\($0)][quantity]=1" }.joined(separator: "&"))
        guard case .container(let items)? = nested["items"], case .container(let last)? = items["4999"] else {
            Issue.record("items[4999] is not a container")
            return
        }
        #expect(items.count == 5_000 && last["price"] == .scalar("p4999") && last.count == 2)
    }

    @Test("a key given as a value and as a hash is refused either way round")
    func mixed() {
        #expect(throws: FormError.self) { try FormParser().parse("a=1&a[b]=2") }
        #expect(throws: FormError.self) { try FormParser().parse("a[b]=2&a=1") }
    }
}

@Suite("Canonical form")
struct CanonicalFormTests {
    let parser = FormParser()

    @Test("the same parameters have one canonical form, however they were encoded or ordered")
    func sameParameters() throws {
        let forms = [
            "amount=100&metadata[n]=1&metadata[m]=2&expand[]=a&expand[]=b",
            "metadata%5Bm%5D=2&amount=100&metadata%5Bn%5D=1&expand[0]=a&expand[1]=b",
            "expand[0]=a&metadata[n]=1&expand[1]=b&metadata[m]=2&amount=1%30%30",
        ]
        let canonical = try Set(forms.map { try parser.parse($0).canonicalForm })
        #expect(canonical.count == 1)
    }

    @Test("different parameters differ: values, array order, and where a separator falls")
    func differentParameters() throws {
        let pairs = [
            ("a=1", "a=2"), ("expand[]=a&expand[]=b", "expand[]=b&expand[]=a"), ("a=b%0Ac", "a=b&c="),
            ("items[2][p]=x&items[10][p]=y", "items[2][p]=y&items[10][p]=x"),
        ]
        for (left, right) in pairs {
            #expect(try parser.parse(left).canonicalForm != parser.parse(right).canonicalForm, "\(left) vs \(right)")
        }
    }
}
