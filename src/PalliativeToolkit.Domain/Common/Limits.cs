namespace PalliativeToolkit.Domain.Common;

/// <summary>Field lengths shared by the database configuration and the validators, so they never disagree.</summary>
public static class Limits
{
    public const int Code = 16;
    public const int Title = 200;
    public const int ShortText = 400;
    public const int LongText = 4000;
    public const int Name = 200;
    public const int Cycle = 20;
    public const int Url = 1000;
    public const int EvidenceNotes = 4000;
    public const int EvidenceLinks = 10;
    public const int FeedbackText = 2000;
    public const int NotificationBody = 16000;
    public const int Email = 256;
    public const int Counties = 1000;
    public const int UserId = 450;
    public const int Phone = 40;
    public const int PartnerContacts = 10;
}
