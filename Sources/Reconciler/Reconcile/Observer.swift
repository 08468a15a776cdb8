import Diff
import Mapping
import SynapseContract

/// Reads the gateway's actual state: every page of every managed kind, the routing config and the tenant's tier.
/// It never writes.
public enum Observer {
    public static func observe(_ client: GatewayClient, tenant: String) async throws(GatewayError) -> ActualState {
        async let integrations = client.list(.integration)
        async let providers = client.list(.provider)
        async let models = client.list(.model)
        async let teams = client.list(.team)
        async let keys = client.list(.virtualKey)
        async let routing = client.getSingleton(.routingConfig, id: nil)
        async let tier = client.getSingleton(.rateLimitTier, id: tenant)

        var objects: [ActualObject] = []
        do {
            for (kind, items) in [
                (ResourceKind.integration, try await integrations), (.provider, try await providers), (.model, try await models),
                (.team, try await teams), (.virtualKey, try await keys),
            ] {
                objects += items.compactMap { ActualObject(kind: kind, response: $0) }
            }
            if let routing = try await routing { objects += [ActualObject(kind: .routingConfig, response: routing)].compactMap { $0 } }
            if let tier = try await tier { objects += [ActualObject(kind: .rateLimitTier, response: tier)].compactMap { $0 } }
        } catch let error as GatewayError {
            throw error
        } catch {
            throw GatewayError(method: "", path: "", message: "reading the gateway failed: \(error)")
        }
        return ActualState(objects: objects)
    }
}
