import { Router } from 'express';

import { owners, pets, toPet } from '../store';

/** Mounted at /v1/owners by app.ts. */
const router = Router();

router.get<{ ownerId: string }>('/:ownerId', (req, res) => {
  const owner = owners.get(req.params.ownerId);
  if (!owner) {
    res.status(404).json({ code: 404, message: `owner ${req.params.ownerId} not found` });
    return;
  }
  res.json(owner);
});

router.put<{ ownerId: string }>('/:ownerId', (req, res) => {
  const owner = owners.get(req.params.ownerId);
  if (!owner) {
    res.status(404).json({ code: 404, message: `owner ${req.params.ownerId} not found` });
    return;
  }
  const { name, email, phone } = req.body ?? {};
  if (name !== undefined) owner.name = name;
  if (email !== undefined) owner.email = email;
  if (phone !== undefined) owner.phone = phone;
  res.json(owner);
});

router.get<{ ownerId: string }>('/:ownerId/pets', (req, res) => {
  if (!owners.has(req.params.ownerId)) {
    res.status(404).json({ code: 404, message: `owner ${req.params.ownerId} not found` });
    return;
  }
  const owned = [...pets.values()].filter((pet) => pet.ownerId === req.params.ownerId);
  res.json(owned.map(toPet));
});

export default router;
