// The ceiling for the ingest benchmark: express 5 that only parses the JSON body and answers 200.
import express from 'express';

const app = express();
app.use(express.json({ limit: '10mb' }));
app.post('/webhook/alertmanager', (req, res) => {
  res.json({ status: 'ok', alerts: (req.body as { alerts?: unknown[] }).alerts?.length ?? 0 });
});
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.send?.({ port: (server.address() as { port: number }).port });
});
