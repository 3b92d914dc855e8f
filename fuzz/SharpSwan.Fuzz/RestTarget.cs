using System.Text.Json;
using System.Text.Json.Nodes;
using SharpSwan.Config;
using SharpSwan.Config.Editing;
using SharpSwan.Web.Api;
using SharpSwan.Web.Cmdb;

namespace SharpSwan.Fuzz;

/// <summary>
/// The REST API's JSON input: a body as POST/PUT <c>/api/v2/cmdb/...</c> receives it, parsed as the endpoint parses it
/// (a <see cref="JsonException"/> or an unreadable string, <see cref="JsonBody.IsReadable"/>, is a 400), applied field by field to a new row of one of the cmdb
/// tables (<see cref="CmdbService.ApplyFields"/>), rendered and read back by the configuration parser, and its errors
/// placed on fields as the API reports them (<see cref="ConfigurationEditor.ToFieldError"/>).
/// </summary>
internal sealed class RestTarget : IFuzzTarget
{
    public string Name => "rest";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.Length < 1)
        {
            return;
        }

        var table = CmdbTable.All[input[0] % CmdbTable.All.Count];
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(input[1..], documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException)
        {
            return;
        }

        if (node is not JsonObject body || !JsonBody.IsReadable(body))
        {
            return;
        }

        var document = EditableDocument.FromConfiguration(FuzzBase.Configuration);
        // The kept system interface table has no schema rows to add to: its entry goes in line by line once filled.
        var row = table.IsTunnelInterfaces ? TunnelInterfaceEdits.NewEntry(document, "to-branch") : document.Add(table.ConfigPath, table.Numbered ? "7" : "fuzz");
        if (CmdbService.ApplyFields(table, row, body) is { } refused)
        {
            _ = refused.ToString();
            return;
        }

        if (table.IsTunnelInterfaces)
        {
            document.Put(table.ConfigPath, row);
        }

        var (text, origins) = document.Render();
        var parsed = ConfigurationLoader.Parse(text, "api");
        foreach (var error in parsed.Errors)
        {
            _ = ConfigurationEditor.ToFieldError(error, origins);
        }
    }

    public IEnumerable<(string Name, byte[] Data)> Seeds()
    {
        yield return ("phase1-interface", [0, .. """{"name":"fuzz","interface":"eth0","ike-version":"2","remote-gw":"203.0.113.9","proposal":"aes256gcm-prfsha384","dhgrp":"20","psksecret":"a-long-enough-secret"}"""u8]);
        yield return ("phase2-interface", [1, .. """{"name":"fuzz","phase1name":"to-branch","proposal":"aes128gcm","src-subnet":"10.1.0.0 255.255.255.0","dst-subnet":["10.5.0.0","255.255.255.0"],"keylifeseconds":3600}"""u8]);
        yield return ("static-route", [7, .. """{"seq-num":0,"dst":"10.9.0.0 255.255.0.0","device":"to-branch","q_origin_key":1}"""u8]);
        yield return ("policy-null-and-masked", [4, .. """{"policyid":"5","srcintf":[{"name":"port1"}],"action":"accept","comments":null,"psksecret":"ENC ****"}"""u8]);
        yield return ("system-interface", [8, .. """{"name":"to-branch","ip":"169.254.1.1/32","remote-ip":"169.254.1.2 255.255.255.252","mtu-override":"enable","mtu":1400}"""u8]);
        yield return ("address", [6, .. """{"name":"net","subnet":"10.7.0.0/24","type":"ipmask"}"""u8]);
    }
}
