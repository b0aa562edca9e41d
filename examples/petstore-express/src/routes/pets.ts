import { Router, type Request, type Response } from 'express';

import { newPetId, owners, pets, toPet, type PetRecord, type Species } from '../store';

const SPECIES: readonly Species[] = ['dog', 'cat', 'bird', 'reptile', 'other'];

const router = Router();

function listPets(req: Request, res: Response): void {
  const limit = Math.min(Number(req.query.limit ?? 20) || 20, 100);
  const species = typeof req.query.species === 'string' ? req.query.species : undefined;
  const matching = [...pets.values()].filter((pet) => (species ? pet.species === species : true));
  if (matching.length > limit) {
    res.setHeader('x-next', `/v1/pets?limit=${limit}&after=${matching[limit - 1].id}`);
  }
  res.json(matching.slice(0, limit).map(toPet));
}

function createPet(req: Request, res: Response): void {
  const { name, species, tag = null, birthDate = null, ownerId = null } = req.body ?? {};
  if (typeof name !== 'string' || name.length === 0 || name.length > 80) {
    res.status(422).json({ code: 422, message: 'name must be 1 to 80 characters' });
    return;
  }
  if (!SPECIES.includes(species)) {
    res.status(422).json({ code: 422, message: `species must be one of ${SPECIES.join(', ')}` });
    return;
  }
  if (ownerId !== null && !owners.has(ownerId)) {
    res.status(422).json({ code: 422, message: `unknown owner ${ownerId}` });
    return;
  }
  const record: PetRecord = {
    id: newPetId(),
    name,
    species,
    tag,
    birthDate,
    ownerId,
    createdAt: new Date().toISOString(),
    photoUrls: [],
  };
  pets.set(record.id, record);
  res.status(201).json(toPet(record));
}

router.route('/pets').get(listPets).post(createPet);

router.get<{ petId: string }>('/pets/:petId', (req, res) => {
  const record = pets.get(req.params.petId);
  if (!record) {
    res.status(404).json({ code: 404, message: `pet ${req.params.petId} not found` });
    return;
  }
  res.json(toPet(record));
});

router.patch<{ petId: string }>('/pets/:petId', (req, res) => {
  const record = pets.get(req.params.petId);
  if (!record) {
    res.status(404).json({ code: 404, message: `pet ${req.params.petId} not found` });
    return;
  }
  const { name, tag, ownerId } = req.body ?? {};
  if (name !== undefined) record.name = name;
  if (tag !== undefined) record.tag = tag;
  if (ownerId !== undefined) record.ownerId = ownerId;
  res.json(toPet(record));
});

router.delete<{ petId: string }>('/pets/:petId', (req, res) => {
  if (!pets.delete(req.params.petId)) {
    res.status(404).json({ code: 404, message: `pet ${req.params.petId} not found` });
    return;
  }
  res.status(204).end();
});

router.get<{ petId: string }>('/pets/:petId/photos', (req, res) => {
  const record = pets.get(req.params.petId);
  if (!record) {
    res.status(404).json({ code: 404, message: `pet ${req.params.petId} not found` });
    return;
  }
  res.json(record.photoUrls);
});

export default router;
