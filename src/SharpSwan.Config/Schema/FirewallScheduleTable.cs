using System.Collections.Immutable;

namespace SharpSwan.Config;

/// <summary>Builds <c>config firewall schedule recurring</c> and <c>onetime</c> and checks each entry's times.</summary>
internal static class FirewallScheduleTable
{
    public static ImmutableArray<FirewallSchedule> Build(RawDocument document, DiagnosticBag diagnostics)
    {
        var schedules = ImmutableArray.CreateBuilder<FirewallSchedule>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (table, fields, recurring) in (ReadOnlySpan<(TableSchema, FieldTable<FirewallScheduleDraft>, bool)>)
            [(SupportedTables.RecurringSchedules, FirewallScheduleSchema.Recurring, true), (SupportedTables.OnetimeSchedules, FirewallScheduleSchema.Onetime, false)])
        {
            foreach (var entry in document.Find(table)?.Entries ?? [])
            {
                var draft = new FirewallScheduleDraft(entry, recurring);
                var other = fields.Apply(draft, () => new FirewallScheduleDraft(entry, recurring), entry, diagnostics);
                var schedule = draft.Schedule with { OtherSettings = other };
                Validate(schedule, entry, diagnostics);
                if (!names.Add(schedule.Name))
                {
                    diagnostics.ValueParseError("name", entry.NameToken, $"\"{schedule.Name}\" is already a firewall schedule; recurring and onetime schedule names must be unique");
                }

                schedules.Add(schedule);
            }
        }

        return schedules.ToImmutable();
    }

    private static void Validate(FirewallSchedule schedule, RawEntry entry, DiagnosticBag diagnostics)
    {
        var kind = schedule.Recurring ? "recurring" : "onetime";
        var missing = ((string[])["start", "end"]).Where(f => entry.Find(f) is null).ToList();
        foreach (var field in missing)
        {
            diagnostics.MustBeSet(field, entry.NameToken, $"firewall schedule {kind} \"{schedule.Name}\" needs {field}");
        }

        if (!schedule.Recurring && missing.Count == 0 && schedule.OnceEnd <= schedule.OnceStart && entry.Find("end") is { } end)
        {
            diagnostics.ValueParseError("end", end.Values[0], $"firewall schedule onetime \"{schedule.Name}\": end must be after start");
        }
    }
}
