using System.Globalization;
using System.Text.Json;
using SharpSwan.Gateway.Diagnostics;

namespace SharpSwan.Gateway.Policy;

/// <summary>
/// Reads what each rule of SharpSwan's nftables table stands for, by its handle (the kernel's trace names a rule only by its
/// handle), from the table as <c>nft -j -a list table</c> prints it: a policy's rules by their named counter
/// (<c>policy_N</c>) and verdict, the session and local-in rules of the base chains by what they match.
/// </summary>
public static class NftRuleMap
{
    private static readonly string[] DecidingChains = ["decide", "from_tunnel", "local_out"];

    /// <summary>The table's rules by handle (every rule, a rule the trace does not show with a null kind); empty when the text does not parse.</summary>
    public static Dictionary<ulong, FlowRule> Parse(string json)
    {
        var rules = new Dictionary<ulong, FlowRule>();
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("nftables", out var items) || items.ValueKind != JsonValueKind.Array)
            {
                return rules;
            }

            foreach (var item in items.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("rule", out var rule) && rule.ValueKind == JsonValueKind.Object
                    && rule.TryGetProperty("handle", out var handle) && handle.ValueKind == JsonValueKind.Number && handle.TryGetUInt64(out var value)
                    && rule.TryGetProperty("chain", out var chain) && chain.ValueKind == JsonValueKind.String
                    && rule.TryGetProperty("expr", out var expressions) && expressions.ValueKind == JsonValueKind.Array)
                {
                    rules[value] = Classify(chain.GetString() ?? "", expressions);
                }
            }
        }
        catch (JsonException)
        {
        }

        return rules;
    }

    /// <summary>The installed table's rules (empty when it is not installed or nft fails).</summary>
    public static Dictionary<ulong, FlowRule> Read() =>
        ExternalCommand.Run("nft", ["-j", "-a", "list", "table", NftRuleset.Family, NftRuleset.TableName], null, out var json) is null
            ? Parse(json)
            : [];

    private static FlowRule Classify(string chain, JsonElement expressions)
    {
        long? policy = null;
        string? verdict = null, jumpTarget = null;
        bool setsMark = false, matchesState = false, matchesFib = false;
        foreach (var expression in expressions.EnumerateArray())
        {
            if (expression.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            foreach (var property in expression.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "counter" when property.Value.ValueKind == JsonValueKind.String:
                        var name = property.Value.GetString() ?? "";
                        if (name.StartsWith("policy_", StringComparison.Ordinal)
                            && long.TryParse(name.AsSpan("policy_".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                        {
                            policy = id;
                        }

                        break;
                    case "accept" or "drop":
                        verdict = property.Name;
                        break;
                    case "jump" or "goto" when property.Value.ValueKind == JsonValueKind.Object && property.Value.TryGetProperty("target", out var target)
                        && target.ValueKind == JsonValueKind.String:
                        jumpTarget = target.GetString();
                        break;
                    case "mangle":
                        // The packet's mark (an ipsec policy's tunnel), not the session's labels every accepting policy sets.
                        setsMark |= property.Value.ValueKind == JsonValueKind.Object && property.Value.TryGetProperty("key", out var key)
                            && key.ValueKind == JsonValueKind.Object && key.TryGetProperty("meta", out _);
                        break;
                    case "match":
                        var text = property.Value.GetRawText();
                        matchesState |= text.Contains("\"state\"", StringComparison.Ordinal);
                        matchesFib |= text.Contains("\"fib\"", StringComparison.Ordinal);
                        break;
                }
            }
        }

        if (jumpTarget is not null && DecidingChains.Contains(jumpTarget))
        {
            return new FlowRule(FlowStepKind.NewSession);
        }

        if (DecidingChains.Contains(chain) && policy is { } policyId && verdict is not null)
        {
            if (verdict == "drop")
            {
                return new FlowRule(FlowStepKind.Denied, policyId);
            }

            var action = chain == "from_tunnel" ? "decrypt" : setsMark ? "encrypt" : null;
            return new FlowRule(FlowStepKind.Allowed, policyId, action);
        }

        if (verdict == "accept" && chain is "prerouting" or "output")
        {
            return new FlowRule(matchesState ? FlowStepKind.ExistingSession : matchesFib ? FlowStepKind.LocalIn : FlowStepKind.GatewayTraffic);
        }

        return new FlowRule(null);
    }
}
