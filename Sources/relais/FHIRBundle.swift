import Foundation
import RelaisCore
import RelaisStore

/// A FHIR R4 `Bundle` of type `collection` for handing people over to ordinary care: a person is
/// a `Patient`, a visit an `Encounter`, a referral a `ServiceRequest`, an appointment an
/// `Appointment`, a rights episode a `Coverage`, a consent to share a `Consent`, a partner of the
/// directory an `Organization` (and a `PractitionerRole` when it names a profession or an RPPS).
/// Codes come from FHIR's value sets where one fits, from the project's code systems otherwise
/// (`urn:relais:codesystem:TYPE.FIELD`, whose codes are the schema's).
struct FHIRBundle {
    let labels: SchemaLabels

    /// The fields the bundle and the consent check read: every field of the types exported.
    static func fields(_ schema: Schema) -> [String: Set<String>] {
        let types = ["person", "visit", "referral", "appointment", "rights_episode", "consent_share"]
        return Dictionary(
            schema.recordTypes.filter { types.contains($0.name) }.map { ($0.name, Set($0.fields.map(\.name))) },
            uniquingKeysWith: { first, _ in first })
    }

    /// A person's resources: the `Patient`, then one per exported record of their file.
    func resources(of file: PersonFile) -> [[String: Any]] {
        [patient(file)]
            + file.linked.compactMap { record in
                switch record.type {
                case "visit": encounter(record, of: file)
                case "referral": serviceRequest(record, of: file)
                case "appointment": appointment(record, of: file)
                case "rights_episode": coverage(record, of: file)
                case "consent_share": consent(record, of: file)
                default: nil
                }
            }
    }

    /// A partner's `Organization`, and its `PractitionerRole` when it has one.
    func resources(of partner: RecordView) -> [[String: Any]] {
        [organization(partner)] + (practitionerRole(partner).map { [$0] } ?? [])
    }

    /// A resource as an entry of the bundle.
    static func entry(_ resource: [String: Any]) -> [String: Any] {
        ["fullUrl": "urn:uuid:\(uuid(resource["id"] as? String ?? ""))", "resource": resource]
    }

    // MARK: Resources

    private func patient(_ file: PersonFile) -> [String: Any] {
        let value = values(file.fields)
        var patient: [String: Any] = ["resourceType": "Patient", "id": file.id]
        var name: [String: Any] = [:]
        if let family = value["family_name"]?.first { name["family"] = family }
        if let given = value["given_names"]?.first { name["given"] = given.split(separator: " ").map(String.init) }
        if !name.isEmpty { patient["name"] = [name] }
        if let sex = value["sex"]?.first { patient["gender"] = sex }
        // Partial dates are FHIR's own: 1987, 1987-03, 1987-03-12.
        if let birth = value["birth_date"]?.first { patient["birthDate"] = birth }
        if let phone = value["phone"]?.first { patient["telecom"] = [["system": "phone", "value": phone]] }
        if let nir = value["nir"]?.first {
            patient["identifier"] = [["system": "urn:oid:1.2.250.1.213.1.4.8", "value": nir.filter(\.isNumber)]]
        }
        let languages = (value["languages"] ?? []).filter { $0 != "other" }
        if !languages.isEmpty {
            patient["communication"] = languages.map { code in
                ["language": ["coding": [["system": "urn:ietf:bcp:47", "code": code]]]]
            }
        }
        return patient
    }

    private func encounter(_ record: RecordView, of file: PersonFile) -> [String: Any] {
        let value = values(record.fields)
        let kind = value["kind"]?.first
        // The HL7 act codes: a home visit, a call, or care met in the field.
        let actCode = kind == "home_visit" ? "HH" : kind == "phone_call" ? "VR" : "FLD"
        var encounter: [String: Any] = [
            "resourceType": "Encounter", "id": record.id, "status": "finished",
            "class": ["system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": actCode],
            "subject": ["reference": "Patient/\(file.id)"],
        ]
        if let kind { encounter["type"] = [concept(kind, field: "kind", of: "visit")] }
        if let date = value["date"]?.first { encounter["period"] = ["start": date] }
        return encounter
    }

    private func serviceRequest(_ record: RecordView, of file: PersonFile) -> [String: Any] {
        let value = values(record.fields)
        let status = ["proposed": "active", "followed": "completed", "not_followed": "revoked"]
        var request: [String: Any] = [
            "resourceType": "ServiceRequest", "id": record.id, "intent": "proposal",
            "status": value["status"]?.first.flatMap { status[$0] } ?? "unknown",
            "subject": ["reference": "Patient/\(file.id)"],
        ]
        if let to = value["to"]?.first { request["code"] = concept(to, field: "to", of: "referral") }
        if let date = value["date"]?.first { request["authoredOn"] = date }
        if let partner = value["partner"]?.first { request["performer"] = [["reference": "Organization/\(partner)"]] }
        if let reason = value["reason"]?.first { request["reasonCode"] = [["text": reason]] }
        return request
    }

    private func appointment(_ record: RecordView, of file: PersonFile) -> [String: Any] {
        let value = values(record.fields)
        let status = ["held": "fulfilled", "missed": "noshow", "cancelled_by_service": "cancelled"]
        var participants: [[String: Any]] = [["actor": ["reference": "Patient/\(file.id)"], "status": "accepted"]]
        if let partner = value["partner"]?.first {
            participants.append(["actor": ["reference": "Organization/\(partner)"], "status": "accepted"])
        }
        // Without its outcome an appointment is as the mediator asked for it: a requested day.
        var appointment: [String: Any] = [
            "resourceType": "Appointment", "id": record.id,
            "status": value["outcome"]?.first.flatMap { status[$0] } ?? "proposed", "participant": participants,
        ]
        if let date = value["date"]?.first { appointment["requestedPeriod"] = [["start": date]] }
        let said = [value["with"]?.first, value["time"]?.first.map { "à \($0)" }, value["place"]?.first].compactMap { $0 }
        if !said.isEmpty { appointment["description"] = said.joined(separator: ", ") }
        if let referral = value["referral"]?.first { appointment["basedOn"] = [["reference": "ServiceRequest/\(referral)"]] }
        return appointment
    }

    private func coverage(_ record: RecordView, of file: PersonFile) -> [String: Any]? {
        let value = values(record.fields)
        guard let scheme = value["scheme"]?.first, value["state"]?.first != "none" else { return nil }
        let status: String =
            switch value["state"]?.first {
            case "open", "renewed": "active"
            case "lapsed", "refused": "cancelled"
            default: "draft"
            }
        let payor =
            [
                "ame": "État (AME)", "ame_humanitarian": "État (AME)", "private_topup": "Organisme complémentaire",
                "hospital_billing": "Établissement de santé",
            ][scheme] ?? "Assurance maladie"
        var coverage: [String: Any] = [
            "resourceType": "Coverage", "id": record.id, "status": status,
            "type": concept(scheme, field: "scheme", of: "rights_episode"),
            "beneficiary": ["reference": "Patient/\(file.id)"], "payor": [["display": payor]],
        ]
        var period: [String: String] = [:]
        if let start = value["opened"]?.first ?? value["filed"]?.first { period["start"] = start }
        if let end = value["ended"]?.first ?? value["expires"]?.first { period["end"] = end }
        if !period.isEmpty { coverage["period"] = period }
        return coverage
    }

    private func consent(_ record: RecordView, of file: PersonFile) -> [String: Any] {
        let value = values(record.fields)
        var provision: [String: Any] = ["type": "permit"]
        if let partner = value["partner"]?.first {
            provision["actor"] = [
                [
                    "role": [
                        "coding": [["system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "code": "IRCP"]]
                    ],
                    "reference": ["reference": "Organization/\(partner)"],
                ]
            ]
        }
        if let withdrawn = value["withdrawn"]?.first { provision["period"] = ["end": withdrawn] }
        var consent: [String: Any] = [
            "resourceType": "Consent", "id": record.id, "status": value["withdrawn"] == nil ? "active" : "inactive",
            "scope": ["coding": [["system": "http://terminology.hl7.org/CodeSystem/consentscope", "code": "patient-privacy"]]],
            "category": [["coding": [["system": "http://loinc.org", "code": "59284-0"]]]],
            "patient": ["reference": "Patient/\(file.id)"],
            "policyRule": ["coding": [["system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "OPTIN"]]],
            "provision": provision,
        ]
        if let date = value["date"]?.first { consent["dateTime"] = date }
        return consent
    }

    private func organization(_ partner: RecordView) -> [String: Any] {
        let value = values(partner.fields)
        var organization: [String: Any] = ["resourceType": "Organization", "id": partner.id, "active": true]
        if let name = value["name"]?.first { organization["name"] = name }
        if let kind = value["kind"]?.first { organization["type"] = [concept(kind, field: "kind", of: "partner")] }
        let telecom = [("phone", value["phone"]?.first), ("email", value["email"]?.first)].compactMap { system, text in
            text.map { ["system": system, "value": $0] }
        }
        if !telecom.isEmpty { organization["telecom"] = telecom }
        var address: [String: Any] = [:]
        if let line = value["address"]?.first { address["line"] = [line] }
        if let city = value["commune"]?.first { address["city"] = city }
        if !address.isEmpty { organization["address"] = [address] }
        if let finess = value["finess"]?.first {
            organization["identifier"] = [["system": "urn:oid:1.2.250.1.71.4.2.2", "value": finess]]
        }
        return organization
    }

    private func practitionerRole(_ partner: RecordView) -> [String: Any]? {
        let value = values(partner.fields)
        guard value["profession"] != nil || value["rpps"] != nil else { return nil }
        var role: [String: Any] = [
            // Its own id, told from the partner's and stable across exports: the same digits reversed.
            "resourceType": "PractitionerRole", "id": String(partner.id.reversed()),
            "organization": ["reference": "Organization/\(partner.id)"],
        ]
        if let profession = value["profession"]?.first { role["code"] = [["text": profession]] }
        if let rpps = value["rpps"]?.first { role["identifier"] = [["system": "urn:oid:1.2.250.1.71.4.2.1", "value": rpps]] }
        return role
    }

    // MARK: Helpers

    private func values(_ fields: [FieldView]) -> [String: [String]] {
        Dictionary(fields.map { ($0.name, $0.values) }, uniquingKeysWith: { first, _ in first })
    }

    /// A code of the project's own code system, with its French label as display.
    private func concept(_ code: String, field: String, of type: String) -> [String: Any] {
        [
            "coding": [
                [
                    "system": "urn:relais:codesystem:\(type).\(field)", "code": code,
                    "display": labels.label(value: code, field: field, of: type),
                ]
            ]
        ]
    }

    /// The record id as a UUID's text (FHIR's `urn:uuid:` wants its dashes).
    static func uuid(_ id: String) -> String {
        let hex = Array(id.filter(\.isHexDigit).prefix(32))
        guard hex.count == 32 else { return "00000000-0000-0000-0000-000000000000" }
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(hex[$0]) }.joined(separator: "-")
    }
}
