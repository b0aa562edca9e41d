import express, { type NextFunction, type Request, type Response } from 'express';

import ownersRouter from './routes/owners';
import petsRouter from './routes/pets';
import { orders } from './store';

export const app = express();

app.use(express.json());

/** Owners are personal data: every owners route needs the internal API key. */
function requireApiKey(req: Request, res: Response, next: NextFunction): void {
  if (req.header('x-api-key') !== process.env.PETSTORE_API_KEY) {
    res.status(401).json({ code: 401, message: 'missing or invalid API key' });
    return;
  }
  next();
}

app.use('/v1', petsRouter);
app.use('/v1/owners', requireApiKey, ownersRouter);

app.get('/v1/stores/:storeId/orders/:orderId', (req, res) => {
  const order = orders.get(`${req.params.storeId}/${req.params.orderId}`);
  if (!order) {
    res.status(404).json({ code: 404, message: 'order not found' });
    return;
  }
  res.json(order);
});

if (require.main === module) {
  const port = Number(process.env.PORT ?? 3000);
  app.listen(port, () => console.log(`petstore listening on http://localhost:${port}/v1`));
}
