import Testing

@testable import ConnectModel

@Suite("Controller properties (C1–C7)")
struct ControllerRulesTests {
    static let valid: Set<ControllerProperties> = [
        .init(feesPayer: .account, lossesPayments: .stripe, requirementCollection: .stripe, dashboard: .full),
        .init(
            feesPayer: .application, lossesPayments: .application, requirementCollection: .stripe, dashboard: .express),
        .init(
            feesPayer: .application, lossesPayments: .application, requirementCollection: .application, dashboard: .none
        ),
        .init(feesPayer: .account, lossesPayments: .stripe, requirementCollection: .stripe, dashboard: .none),
        .init(feesPayer: .application, lossesPayments: .stripe, requirementCollection: .stripe, dashboard: .none),
    ]

    static let all: [ControllerProperties] = DashboardType.allCases.flatMap { dashboard in
        RequirementCollection.allCases.flatMap { collection in
            LossesPayments.allCases.flatMap { losses in
                [FeesPayer.account, .application].map { fees in
                    ControllerProperties(
                        feesPayer: fees, lossesPayments: losses, requirementCollection: collection, dashboard: dashboard
                    )
                }
            }
        }
    }

    @Test("C6: of the 24 combinations exactly five are valid", arguments: all)
    func combination(_ properties: ControllerProperties) throws {
        let request = ControllerRequest(
            feesPayer: properties.feesPayer, lossesPayments: properties.lossesPayments,
            requirementCollection: properties.requirementCollection, dashboard: properties.dashboard)
        if Self.valid.contains(properties) {
            let (type, resolved) = try ControllerRules.resolve(type: nil, controller: request)
            #expect(resolved == properties)
            // C4: standard only for the Standard row; fees.payer stays `application`.
            #expect(type == (properties == .standard ? .standard : .none))
        } else {
            do {
                _ = try ControllerRules.resolve(type: nil, controller: request)
                Issue.record("\(properties) was accepted")
            } catch {
                #expect(error.kind == .invalidRequest)
                #expect(error.param?.hasPrefix("controller[") == true)
                // The message names both conflicting settings.
                #expect(error.message.components(separatedBy: "controller[").count >= 3)
            }
        }
    }

    @Test("C6: the count is 24 with 5 valid")
    func counts() {
        #expect(Self.all.count == 24)
        #expect(Self.all.filter { (try? ControllerRules.check($0)) != nil }.count == 5)
    }

    @Test("C2: no parameters gives a Standard account")
    func defaults() throws {
        let (type, properties) = try ControllerRules.resolve(type: nil, controller: nil)
        #expect(type == .standard)
        #expect(properties == .standard)
        #expect(ControllerRequest().withDefaults == .standard)
    }

    @Test("C3: types map to controller values with the output-only fees payers")
    func typeMapping() throws {
        #expect(
            try ControllerRules.resolve(type: .express, controller: nil) == (.express, ControllerProperties.express))
        #expect(try ControllerRules.resolve(type: .custom, controller: nil).controller.feesPayer == .applicationCustom)
        #expect(try ControllerRules.resolve(type: .standard, controller: nil).controller == .standard)
    }

    @Test("C5: type and controller together are refused on type; type=none is refused")
    func typeAndController() {
        #expect(throws: JunctionError.self) {
            try ControllerRules.resolve(type: .express, controller: ControllerRequest())
        }
        #expect(
            Self.refusal { () throws(JunctionError) in
                _ = try ControllerRules.resolve(type: .standard, controller: ControllerRequest(feesPayer: .account))
            }?.param == "type")
        #expect(throws: JunctionError.self) { try ControllerRules.resolve(type: AccountType.none, controller: nil) }
    }
}

extension ControllerRulesTests {
    static func refusal(_ body: () throws(JunctionError) -> Void) -> JunctionError? {
        do {
            try body()
            return nil
        } catch { return error }
    }
}

extension ControllerProperties: CustomTestStringConvertible {
    public var testDescription: String {
        "\(dashboard.rawValue)/\(requirementCollection.rawValue)/\(lossesPayments.rawValue)/\(feesPayer.rawValue)"
    }
}
