import SynapseContract
import SynapseSimulator
import Testing

@Suite("Simulator API")
struct SimulatorAPITests {
    @Test func bearerKeyIsRequiredExceptForHealthChecks() async throws {
        try await withSimulator { (_, client) async throws in
            var anonymous = client
            anonymous.key = nil
            let missing = try await anonymous.get("/api/v1/teams")
            #expect(missing.status == 401)
            #expect(missing.errorType == "authentication_error")

            var wrong = client
            wrong.key = "not-the-key"
            #expect(try await wrong.get("/api/v1/model-catalog/integrations").status == 401)
            #expect(try await wrong.get("/_sim/stats").status == 401)

            let health = try await anonymous.get("/health")
            #expect(health.status == 200)
            #expect(health.json?["status"] == "healthy")
            #expect(try await anonymous.get("/ready").json?["ready"] == true)
            #expect(try await client.get("/api/v1/teams").status == 200)
        }
    }

    @Test func invalidBodiesGetValidationErrorsInTheGatewayShape() async throws {
        try await withSimulator { (_, client) async throws in
            let missing = try await client.post(ResourceKind.integration.collectionPath, ["name": "x", "providerType": "OPEN_AI"])
            #expect(missing.status == 400)
            #expect(missing.errorType == "validation_error")
            #expect(missing.errorMessage.contains("/apiKey"))
            #expect(missing.json?["error"]?["code"] == "missing_required_field")
            #expect(Set(missing.json?["error"]?.objectValue?.keys.map { $0 } ?? []) == ["message", "type", "code"])

            let badEnum = try await client.post(ResourceKind.integration.collectionPath, ["name": "x", "providerType": "OPENAI", "apiKey": "k"])
            #expect(badEnum.status == 400)
            #expect(badEnum.errorMessage.contains("/providerType"))
            #expect(badEnum.json?["error"]?["code"] == "invalid_enum_value")

            let wrongType = try await client.post(ResourceKind.model.collectionPath,
                ["modelId": "m", "displayName": "M", "providerType": "openai", "capabilities": ["tools": "yes"]])
            #expect(wrongType.status == 400)
            #expect(wrongType.errorMessage.contains("/capabilities/tools"))
            #expect(wrongType.json?["error"]?["code"] == "invalid_type")

            let notJSON = try await client.send("POST", ResourceKind.team.collectionPath, nil)
            #expect(notJSON.status == 400)
            #expect(notJSON.errorType == "invalid_request_error")

            let badTier = try await client.put(ResourceKind.rateLimitTier.itemPath(id: "acme"), ["tier": "gold"])
            #expect(badTier.status == 400)
            #expect(badTier.errorType == "validation_error")

            #expect(try await client.get("/_sim/stats").json?["writes"] == 0)
        }
    }

    @Test func unknownIdsAreNotFound() async throws {
        try await withSimulator { (_, client) async throws in
            let id = "6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b"
            for kind in [ResourceKind.integration, .provider, .model, .team, .virtualKey] {
                let reply = try await client.get(kind.itemPath(id: id))
                #expect(reply.status == 404, "\(kind)")
                #expect(reply.errorType == "not_found")
                #expect(try await client.delete(kind.itemPath(id: id)).status == 404)
            }
            #expect(try await client.put(ResourceKind.team.itemPath(id: id), ["name": "t"]).status == 404)
            #expect(try await client.get("/api/v1/no-such-thing").status == 404)
        }
    }

    @Test func listsArePaged() async throws {
        try await withSimulator { (_, client) async throws in
            for n in 0..<250 {
                let reply = try await client.post(ResourceKind.team.collectionPath, Bodies.team("team-\(n)"))
                try #require(reply.status == 200, "create team-\(n): \(reply.errorMessage)")
            }
            var names: [String] = []
            for page in 1...3 {
                let reply = try await client.get(ResourceKind.team.collectionPath + "?page=\(page)&pageSize=100")
                #expect(reply.json?["total"] == 250)
                #expect(reply.json?["totalPages"] == 3)
                #expect(reply.json?["page"] == .int(page))
                names += reply.json?["teams"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
            }
            #expect(names == (0..<250).map { "team-\($0)" })

            let defaults = try await client.get(ResourceKind.team.collectionPath)
            #expect(defaults.json?["pageSize"] == 20)
            #expect(defaults.json?["totalPages"] == 13)
            #expect(defaults.json?["teams"]?.arrayValue?.count == 20)
            #expect(try await client.get(ResourceKind.team.collectionPath + "?page=4&pageSize=100").json?["teams"] == [])

            let tooBig = try await client.get(ResourceKind.team.collectionPath + "?pageSize=101")
            #expect(tooBig.status == 400)
            #expect(tooBig.errorType == "validation_error")
            #expect(try await client.get(ResourceKind.team.collectionPath + "?page=0").status == 400)
        }
    }

    @Test func writeOnlyApiKeyIsNeverReturned() async throws {
        try await withSimulator { (_, client) async throws in
            let created = try await client.post(ResourceKind.integration.collectionPath, Bodies.integration("openai", apiKey: "sk-live-secret-9876"))
            #expect(created.status == 201)
            let id = try #require(created.json?["id"]?.stringValue)
            #expect(ContractSchemas.isUUID(id))
            #expect(created.json?["apiKey"] == nil)
            #expect(created.json?["keyHint"] == "9876")
            #expect(created.json?["createdBy"]?.stringValue != nil)
            #expect(ContractSchemas.validate(created.json!, against: "IntegrationResponse").isEmpty)

            let read = try await client.get(ResourceKind.integration.itemPath(id: id))
            #expect(read.json?["apiKey"] == nil)
            let list = try await client.get(ResourceKind.integration.collectionPath)
            #expect(ContractSchemas.validate(list.json!, against: "IntegrationListResponse").isEmpty)

            let updated = try await client.put(ResourceKind.integration.itemPath(id: id), ["apiKey": "sk-new-key-1111"])
            #expect(updated.json?["keyHint"] == "1111")
            #expect(updated.json?["name"] == "openai")  // untouched: PUT changes only what it is given

            let state = try await client.get("/_sim/state")
            #expect(state.json?["integrations"]?.arrayValue?.first?["apiKey"] == "REDACTED")
            let text = state.json?.serialized() ?? ""
            #expect(!text.contains("sk-new-key-1111"))
            #expect(!text.contains("sk-live-secret-9876"))
            #expect(text.contains("REDACTED"))
        }
    }

    @Test func virtualKeySecretIsShownOnceAndRevokeHidesTheKey() async throws {
        try await withSimulator { (_, client) async throws in
            let created = try await client.post(ResourceKind.virtualKey.collectionPath, ["name": "ci-key", "allowedModels": ["gpt-4o"]])
            #expect(created.status == 201)
            #expect(ContractSchemas.validate(created.json!, against: "CreateVirtualKeyResponse").isEmpty)
            let secret = try #require(created.json?["secret"]?.stringValue)
            let id = try #require(created.json?["key"]?["id"]?.stringValue)
            #expect(secret.hasPrefix(created.json?["key"]?["keyPrefix"]?.stringValue ?? "?"))

            let read = try await client.get(ResourceKind.virtualKey.itemPath(id: id))
            #expect(read.json?["secret"] == nil)
            let list = try await client.get(ResourceKind.virtualKey.collectionPath)
            #expect(!(list.json?.serialized().contains(secret) ?? true))
            #expect(!(try await client.get("/_sim/state").json?.serialized().contains(secret) ?? true))

            let rotated = try await client.post(ResourceKind.virtualKey.itemPath(id: id) + "/rotate", [:])
            #expect(rotated.status == 200)
            let newSecret = try #require(rotated.json?["secret"]?.stringValue)
            #expect(newSecret != secret)

            let revoked = try await client.delete(ResourceKind.virtualKey.itemPath(id: id))
            #expect(revoked.status == 200)
            #expect(ContractSchemas.validate(revoked.json!, against: "RevokeVirtualKeyResponse").isEmpty)
            #expect(try await client.get(ResourceKind.virtualKey.collectionPath).json?["total"] == 0)
            let inactive = try await client.get(ResourceKind.virtualKey.collectionPath + "?includeInactive=true")
            #expect(inactive.json?["keys"]?.arrayValue?.first?["status"] == "REVOKED")
            #expect(try await client.post(ResourceKind.virtualKey.itemPath(id: id) + "/rotate", [:]).status == 400)
            // A revoked key's name may be used again.
            #expect(try await client.post(ResourceKind.virtualKey.collectionPath, ["name": "ci-key"]).status == 201)
        }
    }

    @Test func duplicateNaturalKeysAreConflicts() async throws {
        try await withSimulator { (_, client) async throws in
            #expect(try await client.post(ResourceKind.integration.collectionPath, Bodies.integration("dup")).status == 201)
            let again = try await client.post(ResourceKind.integration.collectionPath, Bodies.integration("dup"))
            #expect(again.status == 409)
            #expect(again.json?["error"]?["code"] == "conflict")

            let model: JSONValue = ["modelId": "gpt-4o", "displayName": "GPT-4o", "providerType": "openai"]
            #expect(try await client.post(ResourceKind.model.collectionPath, model).status == 201)
            #expect(try await client.post(ResourceKind.model.collectionPath, model).status == 409)
            var otherProvider = model.objectValue!
            otherProvider["providerType"] = "azure"
            #expect(try await client.post(ResourceKind.model.collectionPath, .object(otherProvider)).status == 201)

            let team = try await client.post(ResourceKind.team.collectionPath, Bodies.team("platform"))
            #expect(try await client.post(ResourceKind.team.collectionPath, Bodies.team("platform")).status == 409)
            let other = try await client.post(ResourceKind.team.collectionPath, Bodies.team("other"))
            let renamed = try await client.put(ResourceKind.team.itemPath(id: other.json!["id"]!.stringValue!), ["name": "platform"])
            #expect(renamed.status == 409)

            // Soft delete frees the name and hides the team unless includeDeleted=true.
            let teamId = try #require(team.json?["id"]?.stringValue)
            let deleted = try await client.delete(ResourceKind.team.itemPath(id: teamId))
            #expect(deleted.status == 200)
            #expect(deleted.json?["success"] == true)
            #expect(try await client.get(ResourceKind.team.itemPath(id: teamId)).status == 404)
            #expect(try await client.get(ResourceKind.team.collectionPath).json?["total"] == 1)
            #expect(try await client.get(ResourceKind.team.collectionPath + "?includeDeleted=true").json?["total"] == 2)
            #expect(try await client.post(ResourceKind.team.collectionPath, Bodies.team("platform")).status == 200)
        }
    }

    @Test func providersNeedTheirIntegrationAndFillServerFields() async throws {
        try await withSimulator { (_, client) async throws in
            let provider: (String) -> JSONValue = { integrationId in
                ["slug": "openai-main", "name": "OpenAI", "providerType": "openai", "integrationId": .string(integrationId)]
            }
            let orphan = try await client.post(ResourceKind.provider.collectionPath, provider("6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b"))
            #expect(orphan.status == 400)
            #expect(orphan.json?["error"]?["code"] == "unknown_reference")

            let integration = try await client.post(ResourceKind.integration.collectionPath, Bodies.integration("openai"))
            let created = try await client.post(ResourceKind.provider.collectionPath, provider(integration.json!["id"]!.stringValue!))
            #expect(created.status == 201)
            #expect(created.json?["priority"] == 0)
            #expect(created.json?["tags"] == [])
            #expect(ContractSchemas.validate(created.json!, against: "ProviderResponse").isEmpty)
            let id = try #require(created.json?["id"]?.stringValue)
            let updated = try await client.put(ResourceKind.provider.itemPath(id: id), ["priority": 5, "tags": ["a"]])
            #expect(updated.json?["priority"] == 5)
            #expect(updated.json?["slug"] == "openai-main")
            #expect(try await client.delete(ResourceKind.provider.itemPath(id: id)).status == 204)
            #expect(try await client.get(ResourceKind.provider.itemPath(id: id)).status == 404)
        }
    }

    @Test func routingConfigAndRateLimitTiers() async throws {
        try await withSimulator { (_, client) async throws in
            let initial = try await client.get(ResourceKind.routingConfig.collectionPath)
            #expect(ContractSchemas.validate(initial.json!, against: "RoutingConfigResponse").isEmpty)
            let rules: JSONValue = [["managedBy": "litellm-synapse", "modelPattern": "gpt-*", "routeTo": "gpt-4o"]]
            let put = try await client.put(ResourceKind.routingConfig.collectionPath, ["strategy": "cost_optimized", "rules": rules])
            #expect(put.status == 200)
            #expect(try await client.get(ResourceKind.routingConfig.collectionPath).json?["rules"] == rules)
            #expect(try await client.put(ResourceKind.routingConfig.collectionPath, ["strategy": "x"]).status == 400)

            let tiers = try await client.get("/api/v1/rate-limits/tiers")
            #expect(ContractSchemas.validate(tiers.json!, against: "RateLimitTiersResponse").isEmpty)
            #expect(tiers.json?["tiers"]?.arrayValue?.count == 3)

            let fallback = try await client.get(ResourceKind.rateLimitTier.itemPath(id: "acme corp"))
            #expect(fallback.json?["explicit"] == false)
            #expect(fallback.json?["tier"] == "starter")
            let set = try await client.put(ResourceKind.rateLimitTier.itemPath(id: "acme corp"), ["tier": "enterprise"])
            #expect(set.json?["tier"] == "enterprise")
            #expect(set.json?["limits"]?["rpm"] == 3000)
            #expect(set.json?["tenantId"] == "acme corp")
            let listed = try await client.get(ResourceKind.rateLimitTier.collectionPath)
            #expect(ContractSchemas.validate(listed.json!, against: "TenantTierListResponse").isEmpty)
            #expect(listed.json?["total"] == 1)
            let removed = try await client.delete(ResourceKind.rateLimitTier.itemPath(id: "acme corp"))
            #expect(ContractSchemas.validate(removed.json!, against: "TierActionResponse").isEmpty)
            #expect(try await client.get(ResourceKind.rateLimitTier.collectionPath).json?["total"] == 0)
        }
    }

    @Test func guardrailsSupportCRUD() async throws {
        try await withSimulator { (_, client) async throws in
            let created = try await client.post("/api/v1/guardrails",
                ["name": "pii", "guardType": "INPUT", "action": "REDACT", "rules": [["ruleType": "REGEX", "config": ["pattern": "\\d{3}"]]]])
            #expect(created.status == 200)
            #expect(ContractSchemas.validate(created.json!, against: "GuardrailResponse").isEmpty)
            let id = try #require(created.json?["id"]?.stringValue)
            #expect(try await client.put("/api/v1/guardrails/\(id)", ["enabled": false]).json?["enabled"] == false)
            #expect(try await client.get("/api/v1/guardrails").json?["total"] == 1)
            #expect(try await client.delete("/api/v1/guardrails/\(id)").status == 200)
            #expect(try await client.get("/api/v1/guardrails/\(id)").status == 404)
        }
    }
}

@Suite("Simulator concurrency")
struct SimulatorConcurrencyTests {
    @Test func concurrentCreatesKeepOneObjectPerName() async throws {
        try await withSimulator { (_, client) async throws in
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for n in 0..<40 {
                    // 20 distinct names, each sent twice at once: exactly one of each pair wins.
                    group.addTask { try await client.post(ResourceKind.integration.collectionPath, Bodies.integration("i-\(n % 20)")).status }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 201 }.count == 20)
            #expect(statuses.filter { $0 == 409 }.count == 20)
            let list = try await client.get(ResourceKind.integration.collectionPath + "?pageSize=100")
            #expect(list.json?["total"] == 20)
        }
    }

    @Test(arguments: [0, 300])
    func runReturnsWhenCancelled(afterMilliseconds delay: Int) async throws {
        let simulator = SynapseSimulator(options: SimulatorOptions(apiKey: Secret(testKey)))
        let (done, doneSink) = AsyncStream<Bool>.makeStream()
        let task = Task {
            do {
                try await simulator.run()
                doneSink.yield(true)
            } catch {
                doneSink.yield(false)
            }
        }
        try await Task.sleep(for: .milliseconds(delay))
        task.cancel()
        let finished = await withTaskGroup(of: Bool?.self) { group in
            group.addTask {
                for await returnedNormally in done { return returnedNormally }
                return nil
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(10))
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        #expect(finished == true, "run() should return normally within 10 s of being cancelled")
    }
}
