using PalliativeToolkit.Domain.Common;
using PalliativeToolkit.Domain.Organizations;
using static PalliativeToolkit.Domain.Tests.Builders;

namespace PalliativeToolkit.Domain.Tests;

public class PartnershipTests
{
    private static readonly DateOnly Day = new(2026, 2, 1);

    private static PartnershipTerms Terms(DateOnly? start = null, DateOnly? end = null, int? capacity = 10, params PartnerContact[] contacts) =>
        new(CaliforniaCounties.Named("Alameda"), [CareService.Telehealth, CareService.HomeVisits, CareService.HomeVisits], start, end, capacity, contacts);

    [Fact]
    public void A_partnership_starts_in_a_status_recorded_in_its_history_with_its_terms()
    {
        var partnership = Partnership.Start(Plan(), Provider(), PartnershipStatus.Prospective, Day, Terms(Day, Day.AddYears(1), 12,
            new PartnerContact(PartnerSide.Provider, " Dana Lead ", " Director ", "dana@provider.org", "")), Now, "u1");

        Assert.Equal((PartnershipStatus.Prospective, Day), (partnership.Status, partnership.StatusSince));
        var first = Assert.Single(partnership.History);
        Assert.Equal((PartnershipStatus.Prospective, Day, Now, "u1"), (first.Status, first.EffectiveOn, first.RecordedAt, first.RecordedBy));
        Assert.Equal(["06001"], partnership.CountyFips);
        Assert.Equal([CareService.HomeVisits, CareService.Telehealth], partnership.Services);
        var contact = Assert.Single(partnership.Contacts);
        Assert.Equal(new PartnerContact(PartnerSide.Provider, "Dana Lead", "Director", "dana@provider.org", null), contact.ToContact());
    }

    [Fact]
    public void Each_change_of_status_is_kept_with_its_date_and_an_ended_partnership_can_be_taken_up_again()
    {
        var partnership = Partnership.Start(Plan(), Provider(), PartnershipStatus.Contracting, Day, Terms(), Now, "u1");

        partnership.ChangeStatus(PartnershipStatus.Active, Day.AddMonths(1), Now.AddMonths(1), "u1");
        partnership.ChangeStatus(PartnershipStatus.Ended, Day.AddMonths(9), Now.AddMonths(9), "u2");
        partnership.ChangeStatus(PartnershipStatus.Active, Day.AddMonths(12), Now.AddMonths(12), "u2");

        Assert.Equal(
            [(PartnershipStatus.Contracting, Day), (PartnershipStatus.Active, Day.AddMonths(1)), (PartnershipStatus.Ended, Day.AddMonths(9)), (PartnershipStatus.Active, Day.AddMonths(12))],
            partnership.History.Select(h => (h.Status, h.EffectiveOn)));
        Assert.True(partnership.IsActive);
    }

    [Fact]
    public void A_change_cannot_take_effect_before_the_current_status_nor_repeat_it()
    {
        var partnership = Partnership.Start(Plan(), Provider(), PartnershipStatus.Active, Day, Terms(), Now, "u1");

        Assert.Throws<DomainException>(() => partnership.ChangeStatus(PartnershipStatus.Ended, Day.AddDays(-1), Now, "u1"));
        Assert.Throws<DomainException>(() => partnership.ChangeStatus(PartnershipStatus.Active, Day.AddDays(1), Now, "u1"));
        Assert.Single(partnership.History);
    }

    [Fact]
    public void Terms_refuse_a_contract_ending_before_it_starts_a_negative_capacity_and_a_county_outside_California()
    {
        var partnership = Partnership.Start(Plan(), Provider(), PartnershipStatus.Active, Day, Terms(), Now, "u1");

        Assert.Throws<DomainException>(() => partnership.Revise(Terms(Day, Day.AddDays(-1))));
        Assert.Throws<DomainException>(() => partnership.Revise(Terms(capacity: -1)));
        Assert.Throws<DomainException>(() => partnership.Revise(new PartnershipTerms([new CaliforniaCounty("99999", "Atlantis", "Nowhere")], [], null, null, null, [])));
        Assert.Throws<DomainException>(() => partnership.Revise(Terms(contacts: new PartnerContact(PartnerSide.Plan, " ", null, null, null))));
        Assert.Equal(10, partnership.MonthlyReferralCapacity);
    }

    [Fact]
    public void A_partnership_is_between_a_plan_and_a_provider()
    {
        Assert.Throws<DomainException>(() => Partnership.Start(Provider(), Plan(), PartnershipStatus.Active, Day, Terms(), Now, "u1"));
        Assert.Throws<DomainException>(() => Partnership.Start(Plan(), Plan("Other"), PartnershipStatus.Active, Day, Terms(), Now, "u1"));
    }
}
