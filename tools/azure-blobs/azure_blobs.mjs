// An Azure Blob client independent of ours (Microsoft's @azure/storage-blob), for the tests to
// check what sync stored and to plant blobs of their own. The account comes from
// AZURE_STORAGE_CONNECTION_STRING (never from argv).
//   node tools/azure-blobs/azure_blobs.mjs create CONTAINER
//   node tools/azure-blobs/azure_blobs.mjs list CONTAINER          -> one JSON line per blob: name, size, md5 (base64)
//   node tools/azure-blobs/azure_blobs.mjs get CONTAINER NAME      -> the blob's bytes on stdout
//   node tools/azure-blobs/azure_blobs.mjs put CONTAINER NAME      <- stdin, stored without a Content-MD5
//   node tools/azure-blobs/azure_blobs.mjs sas CONTAINER PERMS     -> a container SAS token (no '?'), 1 hour
import { BlobServiceClient, ContainerSASPermissions } from '@azure/storage-blob';

const [command, container, name] = process.argv.slice(2);
const service = BlobServiceClient.fromConnectionString(process.env.AZURE_STORAGE_CONNECTION_STRING);
const client = service.getContainerClient(container);

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks);
}

if (command === 'create') {
  await client.createIfNotExists();
} else if (command === 'list') {
  for await (const blob of client.listBlobsFlat()) {
    const md5 = blob.properties.contentMD5 ? Buffer.from(blob.properties.contentMD5).toString('base64') : '';
    process.stdout.write(`${JSON.stringify({ name: blob.name, size: blob.properties.contentLength, md5 })}\n`);
  }
} else if (command === 'get') {
  process.stdout.write(await client.getBlobClient(name).downloadToBuffer());
} else if (command === 'put') {
  const bytes = await readStdin();
  await client.getBlockBlobClient(name).uploadData(bytes);
} else if (command === 'sas') {
  const url = await client.generateSasUrl({
    permissions: ContainerSASPermissions.parse(name),
    expiresOn: new Date(Date.now() + 3600 * 1000),
  });
  process.stdout.write(`${new URL(url).search.slice(1)}\n`);
} else {
  process.stderr.write('usage: azure_blobs.mjs create|list|get|put|sas CONTAINER [NAME|PERMS]\n');
  process.exit(2);
}
