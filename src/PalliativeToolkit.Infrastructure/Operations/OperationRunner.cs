using System.Security.Claims;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PalliativeToolkit.Domain.Common;
using PalliativeToolkit.Infrastructure.Access;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Infrastructure.Persistence;

namespace PalliativeToolkit.Infrastructure.Operations;

/// <summary>
/// Opens operations. Every feature service goes through <see cref="RunAsync{T}(ClaimsPrincipal, Func{Operation, Task{Outcome{T}}}, CancellationToken)"/>:
/// it works out the acting user once, binds the database to them, and turns the program's refusals, missing
/// permissions and concurrency conflicts into outcomes in this one place.
/// </summary>
public sealed class OperationRunner(IServiceScopeFactory scopes, TimeProvider clock, SessionStore sessions, SecondFactorRule secondFactor, ILogger<OperationRunner> logger)
{
    /// <summary>
    /// Opens an operation for the principal. An anonymous or locked principal acts as <see cref="Viewer.Nobody"/>, and so
    /// does one from a sign-in session that has ended (logged out, signed out everywhere, idle or past its lifetime): a
    /// page left open after logging out elsewhere can no longer read or save anything. An account without the second
    /// factor its role requires acts without that role. A principal that carries no session (a personal API token's, a
    /// calendar feed's) was authenticated by its own credential, checked on its request by its handler; it needs no
    /// cookie session and is resolved from the database like any other (roles, lockout and second factor included).
    /// </summary>
    public async Task<Operation> OpenAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var scope = scopes.CreateAsyncScope();
        try
        {
            var db = scope.ServiceProvider.GetRequiredService<ToolkitDbContext>();
            var session = principal.FindFirstValue(SessionStore.ClaimType);
            var viewer = session is not null && !await sessions.IsLiveAsync(session, principal.FindFirstValue(ClaimTypes.NameIdentifier), seen: true, cancellationToken)
                ? Viewer.Nobody
                : await ViewerResolver.ResolveAsync(db, principal, clock, secondFactor, cancellationToken);
            db.ActAs(viewer);
            return new Operation(scope, db, viewer, clock.GetUtcNow().UtcDateTime, cancellationToken);
        }
        catch
        {
            await scope.DisposeAsync();
            throw;
        }
    }

    /// <summary>Opens an operation of the portal itself (seeding, start-up work): sees everything, audited as "system".</summary>
    public Operation OpenAsSystem(CancellationToken cancellationToken = default)
    {
        var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ToolkitDbContext>();
        db.ActAs(Viewer.System);
        return new Operation(scope, db, Viewer.System, clock.GetUtcNow().UtcDateTime, cancellationToken);
    }

    /// <summary>Runs <paramref name="work"/> in a new operation of the principal and answers its outcome.</summary>
    public async Task<Outcome<T>> RunAsync<T>(ClaimsPrincipal principal, Func<Operation, Task<Outcome<T>>> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var operation = await OpenAsync(principal, cancellationToken);
        try
        {
            return await work(operation);
        }
        catch (DomainException ex)
        {
            return Failure.Refuse(ex.Message, ex.Details);
        }
        catch (AccessRefusedException ex)
        {
            return Failure.Refuse(ex.Message);
        }
        catch (DbUpdateConcurrencyException ex)
        {
            logger.LogInformation("Stale change refused: {EntityTypes}", ex.Entries.Count > 0 ? string.Join(",", ex.Entries.Select(e => e.Metadata.ClrType.Name)) : ex.Message);
            return Failure.Stale();
        }
    }

    /// <summary>Validates <paramref name="command"/> first: invalid input answers field errors and opens nothing.</summary>
    public async Task<Outcome<T>> RunAsync<TCommand, T>(
        ClaimsPrincipal principal, TCommand command, IValidator<TCommand> validator, Func<Operation, Task<Outcome<T>>> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(validator);
        var validation = await validator.ValidateAsync(command, cancellationToken);
        if (!validation.IsValid)
        {
            return Failure.FieldErrors(validation);
        }

        return await RunAsync(principal, work, cancellationToken);
    }
}
