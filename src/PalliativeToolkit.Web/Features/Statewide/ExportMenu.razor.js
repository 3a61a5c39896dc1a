// Downloads an export with fetch, reading the streamed body piece by piece so that the page can show how much has
// arrived (the length is not known in advance: the server writes the file as it reads the rows), then hands the file
// to the browser as a download under the name the server gave it. For a CSV it also counts the records outside quotes
// (RFC 4180: a line break inside a quoted field is part of the field), less the header.
export async function download(url, page) {
    let response;
    try {
        response = await fetch(url, { credentials: 'same-origin', cache: 'no-store' });
    } catch {
        await page.invokeMethodAsync('Failed', 0);
        return;
    }

    const disposition = response.headers.get('Content-Disposition') ?? '';
    if (!response.ok || !disposition.startsWith('attachment')) {
        await page.invokeMethodAsync('Failed', response.status);
        return;
    }

    const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? 'export';
    const csv = name.endsWith('.csv');
    const reader = response.body.getReader();
    const chunks = [];
    let received = 0;
    let lines = 0;
    let quoted = false;
    let reported = 0;
    const records = () => (csv ? Math.max(lines - 1, 0) : -1);
    for (;;) {
        const { done, value } = await reader.read();
        if (done) {
            break;
        }

        chunks.push(value);
        received += value.length;
        if (csv) {
            for (const byte of value) {
                if (byte === 34) {
                    quoted = !quoted;
                } else if (byte === 10 && !quoted) {
                    lines++;
                }
            }
        }

        const now = performance.now();
        if (now - reported > 150) {
            reported = now;
            await page.invokeMethodAsync('Progress', received, records());
        }
    }

    const file = new Blob(chunks, { type: response.headers.get('Content-Type') ?? 'application/octet-stream' });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(file);
    link.download = name;
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 60000);
    await page.invokeMethodAsync('Finished', name, received, records());
}
